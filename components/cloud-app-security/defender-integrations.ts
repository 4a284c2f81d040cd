import { TOKENS } from "../../lib/managed/tokens";
import * as pulumi from "@pulumi/pulumi";
import { ProblemList } from "../../lib/problems";
import type { TenantSettings } from "../../lib/tenant-settings";
import type { DefenderForEndpointIntegration, DefenderForIdentityIntegration } from "./definition";
import { canonicalDefenderIntegrations, CanonicalDefenderIntegrations } from "./payload";
import { fingerprintOf } from "./runbook";
import { validateDefenderIntegrations } from "./validate";

export interface DefenderIntegrationsArgs {
  /** The tenant's validated settings (named in every validation message). */
  readonly tenant: TenantSettings;
  /** Defender for Identity signals in Defender for Cloud Apps (see `DefenderIntegrationsDefinition`). @default not declared */
  readonly defenderForIdentity?: DefenderForIdentityIntegration;
  /** Defender for Endpoint ↔ Intune: connection, compliance evaluation, machine risk score. @default not declared */
  readonly defenderForEndpoint?: DefenderForEndpointIntegration;
}

/**
 * The Defender integrations a tenant declares around session control (type
 * `m365-baseline:cloudappsecurity:DefenderIntegrations`). It declares no cloud resource: the Defender portal switches
 * have no API, and the Intune side is not written through Graph yet. Its job is to carry the validated, canonical
 * declaration as its input, which is how `plan` records it, `diff` compares it and the runbook reads it.
 */
export class DefenderIntegrations extends pulumi.ComponentResource {
  /** Short hash of the declaration, printed in the runbook for the change record. */
  readonly fingerprint: string;
  /** What plans record. */
  readonly integrations: CanonicalDefenderIntegrations;

  constructor(name: string, args: DefenderIntegrationsArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = new ProblemList();
    const { tenant, ...declaration } = args;
    validateDefenderIntegrations(name, declaration, tenant, problems);
    problems.throwIfAny();
    const integrations = canonicalDefenderIntegrations(declaration);
    super(TOKENS.defenderIntegrations, name, { integrations }, opts);
    this.integrations = integrations;
    this.fingerprint = fingerprintOf(integrations);
    this.registerOutputs({ fingerprint: this.fingerprint });
  }
}
