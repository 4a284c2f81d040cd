import * as fs from "node:fs";

export interface TestCertificate {
  readonly cert: string;
  readonly key: string;
  /** PEM file this process (and its children, through NODE_EXTRA_CA_CERTS) trusts. */
  readonly certFile: string;
}

/** The throwaway certificate scripts/test.js made for this run (never committed). */
export function testCertificate(): TestCertificate {
  const certFile = process.env.M365_BASELINE_TEST_TLS_CERT;
  const keyFile = process.env.M365_BASELINE_TEST_TLS_KEY;
  if (!certFile || !keyFile || process.env.NODE_EXTRA_CA_CERTS !== certFile) {
    throw new Error("tests that use the local Graph server must run through scripts/test.js: `npm test`, or `npm run mocha -- <spec glob>`");
  }
  return { cert: fs.readFileSync(certFile, "utf8"), key: fs.readFileSync(keyFile, "utf8"), certFile };
}
