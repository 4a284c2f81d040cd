import type { ResourceValidationPolicy } from "@pulumi/policy";
import { AZUREAD_USER_TYPE, MANAGED_TOKENS } from "./tokens";

/** Rooms: device passwords never reach state or plans in plain text. */

/**
 * Mandatory: room (resource) account passwords must be Pulumi secrets. CrossGuard hands validations plain values
 * (secrets already unwrapped), so what can be checked is that the resource declares `password` a secret output;
 * `azuread.User` does this itself, a hand-written resource or a dynamic provider must say so.
 */
export const roomAccountPasswordsAreSecrets: ResourceValidationPolicy = {
  name: "room-account-passwords-are-secrets",
  description: "Passwords of room and other user accounts must be stored as Pulumi secrets.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const isAccount = args.type === AZUREAD_USER_TYPE || args.type === MANAGED_TOKENS.roomAccount;
    if (!isAccount || args.props.password === undefined) return;
    if ((args.opts.additionalSecretOutputs ?? []).includes("password")) return;
    reportViolation(
      `account "${args.name}" (${args.type}) has a password that is not declared secret; add "password" to additionalSecretOutputs and pass it as pulumi.secret(...), so state and plans never hold it in plain text.`,
      args.urn,
    );
  },
};
