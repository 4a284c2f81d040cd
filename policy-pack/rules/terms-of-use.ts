import type { ResourceValidationPolicy } from "@pulumi/policy";
import { MANAGED_TOKENS } from "./tokens";

/** Terms of use: acceptance records are never lost by accident. */

/**
 * Mandatory: deleting an agreement deletes every user's acceptance record, which cannot be restored. CrossGuard
 * sees `protect` but not `retainOnDelete`, so an agreement passes when it is protected or when it declares
 * `allowDeletion: false` (the m365-baseline component then sets `retainOnDelete` and its provider refuses deletes).
 */
export const termsOfUseProtectedFromDeletion: ResourceValidationPolicy = {
  name: "terms-of-use-protected-from-deletion",
  description: "Terms-of-use agreements must be protected from deletion: deleting one deletes every acceptance record.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== MANAGED_TOKENS.agreement) return;
    if (args.opts.protect || args.props.allowDeletion === false) return;
    reportViolation(
      `terms-of-use agreement "${args.name}" can be deleted (allowDeletion is ${String(args.props.allowDeletion)} and protect is off); deleting it deletes every acceptance record. Set allowDeletion: false or protect: true.`,
      args.urn,
    );
  },
};
