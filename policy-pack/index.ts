// Entry point Pulumi loads with `pulumi preview --policy-pack <this folder>`. `new PolicyPack` starts the policy
// gRPC server, so nothing imports this file; the rules live in rules.ts, where tests reach them.
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./rules/index";

new PolicyPack("m365-baseline-safety", { policies: POLICIES });
