import type * as pulumi from "@pulumi/pulumi";

/**
 * Declares resources so the engine writes them one after another instead of in a burst: each depends on the one
 * recorded before it. For APIs with a per-tenant write limit (Graph conditional access: 1 write/s with no
 * Retry-After; Defender for Cloud Apps: 30 requests/min). Record the resource that actually writes, not a
 * component: a component's dependsOn does not reach its children.
 */
export class WriteSequence {
  private previous: pulumi.Resource | undefined;

  constructor(private readonly parent: pulumi.Resource) {}

  /** Options for the next resource in the sequence: parented, and after the last one recorded. */
  options(): { parent: pulumi.Resource; dependsOn?: pulumi.Resource[] } {
    return this.previous ? { parent: this.parent, dependsOn: [this.previous] } : { parent: this.parent };
  }

  /** Records the resource that writes, so the next one waits for it; returns it for chaining. */
  record<T extends pulumi.Resource>(resource: T): T {
    this.previous = resource;
    return resource;
  }
}
