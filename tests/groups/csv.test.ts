import { expect } from "chai";
import { GroupMembership, GroupsCsvError, groupsFromCsv, groupsToCsv, sortGroups } from "../../lib/groups";

const id = (n: number): string => `0000${n.toString(16).padStart(4, "0")}-0000-4000-8000-000000000000`;

/** mulberry32: a seeded generator, so every run (and every failure) sees the same cases. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pieces of display names: CSV's own characters, formula starters, line breaks, non-ASCII, astral characters. */
const NAME_PIECES = ["Ops", "a", " ", ",", '"', '""', "\n", "\r\n", "\r", "'", "=", "+", "-", "@", "\t", ";", "Ü", "ï", "東京", "🚀", "é", "ﬁ", "＝"];
/** Parts of member identifiers: addresses with characters that need care, UPNs of guests, object IDs. */
const LOCAL_PARTS = ["adele", "o'brien", "-dash", "+plus", "=eq", "@at", "'quote", "ünï", "first.last", "x,y", 'q"q', "Upper"];

function randomTenant(random: () => number, firstId: number): GroupMembership[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const count = (max: number): number => Math.floor(random() * (max + 1));
  const identifier = (): string => {
    const kind = random();
    if (kind < 0.2) return id(Math.floor(random() * 0xffff));
    if (kind < 0.3) return `${pick(LOCAL_PARTS)}_fabrikam.com#EXT#@contoso.onmicrosoft.com`;
    return `${pick(LOCAL_PARTS)}@${pick(["contoso.com", "fabrikam.co.jp", "例え.jp"])}`;
  };
  return Array.from({ length: count(6) }, (_, i) => ({
    displayName: Array.from({ length: count(8) }, () => pick(NAME_PIECES)).join(""),
    primarySmtpAddress: random() < 0.2 ? "" : `${pick(LOCAL_PARTS)}@contoso.com`,
    id: id(firstId + i),
    members: Array.from({ length: count(6) }, identifier),
    owners: Array.from({ length: count(2) }, identifier),
  }));
}

const values = (groups: readonly GroupMembership[]): string[] => groups.flatMap((g) => [g.displayName, g.primarySmtpAddress, g.id, ...g.members, ...g.owners]);

describe("groups CSV: round trip", () => {
  it("reads back exactly what it wrote, for 300 generated tenants (commas, quotes, line breaks, formulas, non-ASCII)", () => {
    const random = seeded(20240518);
    let withoutCr = 0;
    for (let run = 0; run < 300; run++) {
      const groups = randomTenant(random, run * 10);
      const csv = groupsToCsv(groups);
      const read = groupsFromCsv(csv);
      expect(read, `run ${run}: ${JSON.stringify(groups)}`).to.deep.equal(sortGroups(groups));
      expect(groupsToCsv(read), `run ${run}: writing what was read gives the same bytes`).to.equal(csv);
      // The same file saved without the BOM and with LF row endings (possible only when no value holds a CR).
      if (!values(groups).some((v) => v.includes("\r"))) {
        withoutCr++;
        expect(groupsFromCsv(csv.slice(1).replace(/\r\n/g, "\n")), `run ${run}, LF and no BOM`).to.deep.equal(sortGroups(groups));
      }
    }
    expect(withoutCr, "enough runs also check the LF / no-BOM reading").to.be.greaterThan(50);
  });

  it("keeps a non-ASCII name, a group of 5,000 members, groups with no members and no owners, and one owner apart from none", () => {
    const members = Array.from({ length: 5000 }, (_, i) => `user${String(4999 - i).padStart(4, "0")}@contoso.com`);
    const groups: GroupMembership[] = [
      { displayName: "Ünïcödé 東京 Ops", primarySmtpAddress: "tokyo-ops@contoso.com", id: id(1), members, owners: ["adele@contoso.com"] },
      { displayName: "Empty", primarySmtpAddress: "empty@contoso.com", id: id(2), members: [], owners: [] },
      { displayName: "No owner", primarySmtpAddress: "no-owner@contoso.com", id: id(3), members: ["adele@contoso.com"], owners: [] },
      { displayName: "One owner", primarySmtpAddress: "one-owner@contoso.com", id: id(4), members: ["adele@contoso.com"], owners: ["bob@contoso.com"] },
    ];
    const read = groupsFromCsv(groupsToCsv(groups));
    const byName = (name: string): GroupMembership => read.find((g) => g.displayName === name)!;
    expect(byName("Ünïcödé 東京 Ops").members)
      .to.have.length(5000)
      .and.deep.equal([...members].sort());
    expect(byName("Ünïcödé 東京 Ops").owners).to.deep.equal(["adele@contoso.com"]);
    expect(byName("Empty")).to.deep.equal(groups[1]);
    expect(byName("No owner").owners).to.deep.equal([]);
    expect(byName("One owner").owners).to.deep.equal(["bob@contoso.com"]);
    expect(read).to.deep.equal(sortGroups(groups));
  });

  it("refuses to write what could not be read back the same, naming the group", () => {
    const group = (overrides: Partial<GroupMembership>): GroupMembership => ({
      displayName: "G",
      primarySmtpAddress: "",
      id: id(1),
      members: [],
      owners: [],
      ...overrides,
    });
    expect(() => groupsToCsv([group({ members: ["a@contoso.com\nb@contoso.com"] })])).to.throw(
      /group "G" \(0000.*\): Members entry "a@contoso.com\\nb@contoso.com" contains a line break/,
    );
    expect(() => groupsToCsv([group({ owners: [" a@contoso.com"] })])).to.throw(/Owners entry " a@contoso.com" starts or ends with white space/);
    expect(() => groupsToCsv([group({ owners: [""] })])).to.throw(/Owners entry "" is empty/);
    expect(() => groupsToCsv([group({}), group({ displayName: "H" })])).to.throw(/group "H" .*Id appears more than once/);
    expect(() => groupsToCsv([group({ id: "finance" })])).to.throw(/Id "finance" is not a group object ID/);
  });
});

describe("groups CSV: the shape Excel opens", () => {
  // Expected bytes written from the format (docs/groups.md, "The CSV file"), not from running the code.
  const groups: GroupMembership[] = [
    {
      displayName: 'Finance, "Core" Team',
      primarySmtpAddress: "finance@contoso.com",
      id: "6f1d2c3b-0000-4000-8000-000000000001",
      members: ["bob@contoso.com", "adele@contoso.com"],
      owners: ["adele@contoso.com"],
    },
    { displayName: '=HYPERLINK("x")', primarySmtpAddress: "", id: "6f1d2c3b-0000-4000-8000-000000000002", members: [], owners: [] },
    {
      displayName: "Ünïcödé 東京 Ops",
      primarySmtpAddress: "tokyo@contoso.com",
      id: "6f1d2c3b-0000-4000-8000-000000000003",
      members: ["b0c9d8e7-0000-4000-8000-0000000000aa"],
      owners: [],
    },
  ];
  const expected =
    "\uFEFF" +
    "DisplayName,PrimarySmtpAddress,Id,Members,Owners\r\n" +
    // "=" sorts before letters; the formula guard adds an apostrophe; the quotes inside are doubled.
    '"\'=HYPERLINK(""x"")",,6f1d2c3b-0000-4000-8000-000000000002,,\r\n' +
    // A comma and quotes: quoted, quotes doubled. Two members: one cell, sorted, joined by LF, quoted.
    '"Finance, ""Core"" Team",finance@contoso.com,6f1d2c3b-0000-4000-8000-000000000001,"adele@contoso.com\nbob@contoso.com",adele@contoso.com\r\n' +
    "Ünïcödé 東京 Ops,tokyo@contoso.com,6f1d2c3b-0000-4000-8000-000000000003,b0c9d8e7-0000-4000-8000-0000000000aa,\r\n";

  it("is UTF-8 with a BOM, a header, CRLF rows, fields quoted only when they must be, members one per line in one cell", () => {
    const csv = groupsToCsv(groups);
    expect(csv).to.equal(expected);
    const bytes = Buffer.from(csv, "utf8");
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString("utf8").startsWith("DisplayName,PrimarySmtpAddress,Id,Members,Owners\r\n")).to.equal(true);
    // Every row ends CRLF; every LF that is not a row end is inside a quoted cell (Excel's in-cell line break).
    expect(csv.endsWith("\r\n")).to.equal(true);
    expect(csv.split("\r\n")).to.have.length(5);
    // Non-ASCII as UTF-8 (Ü is C3 9C, 東 E6 9D B1), not in a legacy code page.
    expect(bytes.includes(Buffer.from([0xc3, 0x9c, 0x6e, 0xc3, 0xaf]))).to.equal(true);
    expect(bytes.includes(Buffer.from([0xe6, 0x9d, 0xb1, 0xe4, 0xba, 0xac]))).to.equal(true);
  });

  it("reads that file back to the same groups (sorted), the formula guard removed", () => {
    expect(groupsFromCsv(expected)).to.deep.equal(sortGroups(groups));
    expect(groupsFromCsv(expected)[0].displayName).to.equal('=HYPERLINK("x")');
  });

  it("reads a file Excel saved: columns reordered, header in other case, CRLF inside a cell, blank lines in a cell", () => {
    const excel =
      "id,displayname,Owners,Members,PrimarySmtpAddress\r\n" +
      '6f1d2c3b-0000-4000-8000-000000000001,Finance,,"adele@contoso.com\r\n\r\n bob@contoso.com \n",finance@contoso.com\r\n';
    expect(groupsFromCsv(excel)).to.deep.equal([
      {
        displayName: "Finance",
        primarySmtpAddress: "finance@contoso.com",
        id: "6f1d2c3b-0000-4000-8000-000000000001",
        members: ["adele@contoso.com", "bob@contoso.com"],
        owners: [],
      },
    ]);
  });
});

describe("groups CSV: errors name the line and the column", () => {
  const HEADER = "DisplayName,PrimarySmtpAddress,Id,Members,Owners";
  const A = "6f1d2c3b-0000-4000-8000-00000000000a";
  const B = "6f1d2c3b-0000-4000-8000-00000000000b";
  const problemsOf = (text: string): GroupsCsvError => {
    try {
      groupsFromCsv(text, { source: "groups.csv" });
    } catch (err) {
      if (err instanceof GroupsCsvError) return err;
      throw err;
    }
    throw new Error("expected a GroupsCsvError");
  };

  it("a missing header: the first row is data", () => {
    const err = problemsOf(`Finance,finance@contoso.com,${A},,\r\n`);
    expect(err.problems).to.deep.equal([
      {
        line: 1,
        problem: "the header row is missing: the first row names none of the columns",
        allowed: "a first row DisplayName,PrimarySmtpAddress,Id,Members,Owners",
      },
    ]);
    expect(err.message).to.equal(
      "groups.csv is not a groups CSV m365-baseline can read: 1 problem:\n" +
        "  - line 1: the header row is missing: the first row names none of the columns. Allowed: a first row DisplayName,PrimarySmtpAddress,Id,Members,Owners.",
    );
    expect(problemsOf("").message).to.contain("line 1: the file is empty: the header row is missing");
  });

  it("an unknown column and a missing one, together", () => {
    const err = problemsOf(`DisplayName,PrimarySmtpAddress,Id,Members,Notes\r\nFinance,finance@contoso.com,${A},,\r\n`);
    expect(err.message).to.contain(
      '  - line 1, column 5 (Notes): unknown column "Notes". Allowed: the columns DisplayName, PrimarySmtpAddress, Id, Members, Owners, each once, in any order.',
    );
    expect(err.message).to.contain("  - line 1: missing column Owners.");
    expect(err.problems).to.have.length(2);
  });

  it("a column twice, and a semicolon-separated header (Excel in a locale with a decimal comma)", () => {
    expect(problemsOf(`${HEADER},Id\r\n`).message).to.contain("line 1, column 6 (Id): column Id appears twice (first as column 3)");
    expect(problemsOf("DisplayName;PrimarySmtpAddress;Id;Members;Owners\r\n").message).to.contain("the header is separated by semicolons");
  });

  it("a duplicate Id, on the line it is on when cells before it span lines, with LF or CRLF rows and blank lines", () => {
    const rows = [
      HEADER, // line 1
      `Finance,finance@contoso.com,${A},"a@contoso.com\nb@contoso.com\nc@contoso.com",a@contoso.com`, // lines 2-4
      "", // line 5: blank
      `"Two\nlines",two@contoso.com,${A},,`, // lines 6-7: the Id is on line 7
      `Sales,sales@contoso.com,${B},,`, // line 8
      `Sales again,sales2@contoso.com,${B.toUpperCase()},,`, // line 9: same GUID in capitals
    ];
    for (const ending of ["\r\n", "\n"]) {
      const err = problemsOf(`\uFEFF${rows.join(ending)}${ending}`);
      expect(err.problems, JSON.stringify(ending)).to.deep.equal([
        { line: 7, column: { number: 3, name: "Id" }, problem: `duplicate Id ${A}: line 2 has the same group`, allowed: "each group once (one row per Id)" },
        {
          line: 9,
          column: { number: 3, name: "Id" },
          problem: `duplicate Id ${B.toUpperCase()}: line 8 has the same group`,
          allowed: "each group once (one row per Id)",
        },
      ]);
      expect(err.message).to.contain(`  - line 7, column 3 (Id): duplicate Id ${A}: line 2 has the same group. Allowed: each group once (one row per Id).`);
    }
  });

  it("an Id that is not a GUID and a row with too many fields, each on its own line", () => {
    const err = problemsOf(`${HEADER}\r\nFinance,finance@contoso.com,finance,,\r\nSales, EMEA,sales@contoso.com,${B},,\r\n`);
    expect(err.problems.map((p) => [p.line, p.column?.number, p.problem])).to.deep.equal([
      [2, 3, '"finance" is not a group object ID'],
      [3, undefined, "the row has 6 fields, the header 5"],
    ]);
  });

  it("text that is not CSV at all (an unclosed quote) says so, with the quoting rule", () => {
    expect(() => groupsFromCsv(`${HEADER}\r\n"Finance,finance@contoso.com,${A},,\r\n`, { source: "groups.csv" })).to.throw(
      /^groups\.csv is not valid CSV: .*Quote Not Closed.*A double quote inside a field must be doubled/s,
    );
  });
});
