import type { Risk, SignIn } from "./model";
import type { PolicySource } from "./sources";

/** Where a sign-in comes from and how risky Entra judges it; everything else about the sign-in varies separately. */
export interface SignInContext {
  /** What a reviewer reads, e.g. "from Contoso offices". */
  readonly name: string;
  readonly ip?: string;
  readonly country?: string;
  readonly signInRisk?: Risk;
  readonly userRisk?: Risk;
  readonly authenticationFlow?: SignIn["authenticationFlow"];
  readonly insiderRisk?: SignIn["insiderRisk"];
}

export const EVERYDAY_CONTEXT: SignInContext = { name: "no named location, no risk" };

const RISKS: readonly Risk[] = ["low", "medium", "high"];

/**
 * The contexts a lockout hides in besides the everyday one: a break-glass sign-in flagged as risky, or one from a
 * country or network a policy blocks. One sign-in per risk level, and one from inside each declared named location.
 */
export function lockoutContexts(source: PolicySource): SignInContext[] {
  const locations = source.namedLocations.flatMap((l): SignInContext[] => {
    if (l.ipRanges.length > 0) return [{ name: `from ${l.displayName}`, ip: l.ipRanges[0].split("/")[0] }];
    if (l.countries.length > 0) return [{ name: `from ${l.displayName}`, country: l.countries[0] }];
    return [];
  });
  // Sign-ins a policy on authentication flows or insider risk catches: an emergency account signing in through the
  // device code flow, or flagged by insider-risk management, must not be locked out either.
  const unusual: SignInContext[] = [
    { name: "device code flow", authenticationFlow: "deviceCodeFlow" },
    { name: "elevated insider risk", insiderRisk: "elevated" },
  ];
  return [EVERYDAY_CONTEXT, ...RISKS.map((risk) => ({ name: `${risk} sign-in and user risk`, signInRisk: risk, userRisk: risk })), ...unusual, ...locations];
}
