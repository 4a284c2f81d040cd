/**
 * A Defender for Cloud Apps session policy as declared data. Microsoft offers no supported API to create session
 * policies (Defender for Cloud Apps forum, 2023: "There currently isn't a way to deploy policies in an automated
 * manner today"), so these declarations are reviewed and diffed in plans, and applied by an administrator from the
 * generated runbook. Field names follow the portal (Microsoft Defender portal › Cloud Apps › Policies › Policy
 * management › Conditional access › Create policy › Session policy); each field's TSDoc quotes the portal label.
 */
export interface SessionPolicyDefinition {
  /**
   * Stable logical name: the policy's identity in plans and diffs. Renaming `displayName` is a change to the same
   * policy; renaming `name` is a removal plus an addition.
   */
  readonly name: string;
  /** Portal: "Policy name". Must be unique in the tenant. @default the logical `name` */
  readonly displayName?: string;
  /** Portal: "Description". @default none */
  readonly description?: string;
  /** Portal: "Policy severity". */
  readonly severity: SessionPolicySeverity;
  /** Portal: "Category". @default "dlp" */
  readonly category?: SessionPolicyCategory;
  /** Portal: "Session control type". */
  readonly controlType: SessionControlType;
  /** Portal: "Activity source" › "Activities matching all of the following". @default no filter (every routed session) */
  readonly activities?: ActivityFilters;
  /** Portal: "Files matching all of the following". Only for the file download and file upload control types. @default no filter */
  readonly files?: FileFilters;
  /** Portal: "Inspection method". Only for the file download and file upload control types. @default none */
  readonly contentInspection?: ContentInspection;
  /** Portal: "Actions". @default { kind: "test" } */
  readonly action?: SessionPolicyAction;
  /** Portal: "Alerts". @default no alert */
  readonly alerts?: SessionPolicyAlerts;
}

export const SESSION_POLICY_SEVERITIES = ["low", "medium", "high"] as const;
export type SessionPolicySeverity = (typeof SESSION_POLICY_SEVERITIES)[number];

export const SESSION_POLICY_CATEGORIES = ["dlp", "accessControl", "threatDetection", "compliance", "sharingControl"] as const;
export type SessionPolicyCategory = (typeof SESSION_POLICY_CATEGORIES)[number];

export const SESSION_CONTROL_TYPES = ["monitorOnly", "controlFileDownload", "controlFileUpload", "blockActivities"] as const;
export type SessionControlType = (typeof SESSION_CONTROL_TYPES)[number];

export const FILTER_OPERATORS = ["equals", "doesNotEqual"] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** Portal: "Device" › "Tag". A device carrying none of the managed tags is what the portal calls unmanaged. */
export const DEVICE_TAGS = ["intuneCompliant", "hybridJoined", "validClientCertificate"] as const;
export type DeviceTag = (typeof DEVICE_TAGS)[number];

/** IP address categories, as the data-enrichment API numbers them (`category` 1-6) and the portal names them. */
export const IP_CATEGORIES = ["corporate", "administrative", "risky", "vpn", "cloudProvider", "other"] as const;
export type IpCategory = (typeof IP_CATEGORIES)[number];

/** Activities the "Block activities" control type can select (portal: "Activity type"). */
export const BLOCKABLE_ACTIVITIES = ["print", "copy", "cut", "paste", "sendItem", "share", "unshare", "edit"] as const;
export type BlockableActivity = (typeof BLOCKABLE_ACTIVITIES)[number];

export interface ActivityFilters {
  /** Portal: "Device" › "Tag". @default no filter */
  readonly deviceTags?: { readonly operator: FilterOperator; readonly tags: readonly DeviceTag[] };
  /** Portal: "IP address" › "Category". Ranges are categorised by `corporateIpRanges` (data-enrichment API). @default no filter */
  readonly ipCategories?: { readonly operator: FilterOperator; readonly categories: readonly IpCategory[] };
  /** Portal: "IP address" › "Raw IP address", as CIDR ranges. @default no filter */
  readonly ipRanges?: { readonly operator: FilterOperator; readonly cidrs: readonly string[] };
  /** Portal: "Location" (ISO 3166-1 alpha-2 country codes). @default no filter */
  readonly locations?: { readonly operator: FilterOperator; readonly countries: readonly string[] };
  /** Portal: "Registered ISP". @default no filter */
  readonly isps?: { readonly operator: FilterOperator; readonly names: readonly string[] };
  /** Portal: "User" › "From group" (Entra group display names as the portal lists them). @default no filter */
  readonly userGroups?: { readonly operator: FilterOperator; readonly groups: readonly string[] };
  /**
   * Portal: "App". Same names as conditional access: `Office365`, `Exchange Online`, `SharePoint Online`,
   * `Microsoft Teams`, or an application (client) ID. @default every app routed to Conditional Access App Control
   */
  readonly apps?: readonly string[];
  /** Portal: "Activity type". Only, and required, for the "Block activities" control type. @default none */
  readonly activityTypes?: readonly BlockableActivity[];
}

export interface FileFilters {
  /** Portal: "Sensitivity label" (label names as Microsoft Purview shows them). @default no filter */
  readonly sensitivityLabels?: { readonly operator: FilterOperator; readonly labels: readonly string[] };
  /** Portal: "Extension", without the dot. @default no filter */
  readonly extensions?: { readonly operator: FilterOperator; readonly extensions: readonly string[] };
  /** Portal: "File name" › "contains". @default no filter */
  readonly nameContains?: readonly string[];
}

export type ContentInspection =
  | {
      /** Portal: "Inspection method" › "Data Classification Service". */
      readonly method: "dataClassificationService";
      /** Portal: "Choose inspection type" › "Sensitive information type": names as Purview lists them. */
      readonly sensitiveInformationTypes: readonly string[];
      /** What happens to files that cannot be inspected (for example encrypted ones). @default "allow" */
      readonly uninspectableFiles?: UninspectableFileHandling;
    }
  | {
      /**
       * Portal: "Inspection method" › "Built-in DLP" › "Include files that match a custom expression". Microsoft is
       * retiring the built-in engine in favour of Data Classification Service, but it is the only way to match a
       * plain string such as a project name without first creating a custom sensitive information type.
       */
      readonly method: "customExpression";
      /** The words to match, e.g. a confidential project name. Matched as a string, not a regular expression. */
      readonly expression: string;
      /** @default "allow" */
      readonly uninspectableFiles?: UninspectableFileHandling;
    }
  | {
      /** Portal: "Inspection method" › "Malware Detection". Only for file download and file upload. */
      readonly method: "malwareDetection";
    };

export const UNINSPECTABLE_FILE_HANDLING = ["allow", "block"] as const;
export type UninspectableFileHandling = (typeof UNINSPECTABLE_FILE_HANDLING)[number];

export type SessionPolicyAction =
  /** Portal: "Test" (monitor all activities). */
  | { readonly kind: "test" }
  /** Portal: "Block", with "Customize block message". */
  | {
      readonly kind: "block";
      /** @default the portal's standard block message */
      readonly customBlockMessage?: string;
    }
  /** Portal: "Protect" › "Apply sensitivity label". Only for "Control file download (with inspection)". */
  | {
      readonly kind: "protect";
      /** The sensitivity label to apply on download; it must be configured to apply encryption. */
      readonly sensitivityLabel: string;
      /**
       * Portal: "Block download of any file that is unsupported by native protection or where native protection is
       * unsuccessful". @default true — otherwise a file that cannot be labelled leaves unprotected.
       */
      readonly blockUnprotectableFiles?: boolean;
      /** Portal: "Customize block message", shown when an unprotectable file is blocked. @default the standard message */
      readonly customBlockMessage?: string;
    };

export interface SessionPolicyAlerts {
  /** Portal: "Create an alert for each matching event with the policy's severity". */
  readonly enabled: boolean;
  /** Portal: "Daily alert limit" (a whole number of alerts per day). @default 5 */
  readonly dailyLimit?: number;
  /** Portal: "Send alert as email" recipients. @default no email */
  readonly emailRecipients?: readonly string[];
}

/** Longest custom block message the library accepts. Microsoft documents no maximum; this keeps the text readable. */
export const MAX_BLOCK_MESSAGE_LENGTH = 500;

/**
 * An IP address range in Defender for Cloud Apps (portal: Settings › Cloud Apps › IP address ranges), managed
 * through the documented data-enrichment API. Session-policy filters such as "IP address › Category equals
 * Corporate" depend on these.
 */
export interface IpRangeDefinition {
  /**
   * Logical name: the Pulumi resource's identity (`ip-range-<name>`), e.g. `contoso-offices`. Renaming `displayName`
   * updates the range in place; renaming `name` replaces it.
   */
  readonly name: string;
  /** Portal: "Name". API: `name`; unique per tenant (the API requires unique names). @default the logical `name` */
  readonly displayName?: string;
  /** Portal: "Category". API: `category` (1 Corporate … 6 Other). @default "corporate" */
  readonly category?: IpCategory;
  /** Portal: "IP address ranges". API: `subnets` (CIDR, IPv4 or IPv6). */
  readonly subnets: readonly string[];
  /** Portal: "Override registered ISP". API: `organization`. @default not overridden */
  readonly organization?: string;
  /** Portal: "Tags". API: `tags` (names of new or existing tags). @default none */
  readonly tags?: readonly string[];
}

/** The data-enrichment API's category numbers (Defender for Cloud Apps API, "Create IP address range"). */
export const IP_CATEGORY_IDS: Readonly<Record<IpCategory, number>> = {
  corporate: 1,
  administrative: 2,
  risky: 3,
  vpn: 4,
  cloudProvider: 5,
  other: 6,
};

/**
 * The integrations the administrators of Defender for Cloud Apps session control switch on around it, each declared
 * so that `plan` shows it and the runbook (`renderSessionPolicyRunbook`) says how to apply it. None is written
 * through an API yet: the Defender portal side has no API at all, and the Intune side (Graph) is the next step; see
 * docs/cloud-app-security.md, "Integrations".
 */
export interface DefenderIntegrationsDefinition {
  /**
   * Microsoft Defender for Identity (formerly Azure ATP) signals in Defender for Cloud Apps: on-premises Active
   * Directory activities and alerts next to the cloud ones, for the same user. @default not declared
   */
  readonly defenderForIdentity?: DefenderForIdentityIntegration;
  /**
   * Microsoft Defender for Endpoint ↔ Microsoft Intune: Defender for Endpoint reports each device's machine risk to
   * Intune, compliance policies require a maximum risk, and conditional access's "Require device to be marked as
   * compliant" then blocks a compromised device. @default not declared
   */
  readonly defenderForEndpoint?: DefenderForEndpointIntegration;
}

export interface DefenderForIdentityIntegration {
  /**
   * Must be `true`. The standalone Defender for Cloud Apps portal had Settings › Threat Protection › Microsoft Defender
   * for Identity › "Enable Microsoft Defender for Identity data integration". Microsoft removed that page with the
   * move to the Microsoft Defender portal (Defender for Cloud Apps release 251–252, 30 April 2023: "fully integrated
   * into Microsoft Defender XDR, and therefore don't have their own standalone experience"): the data is joined
   * there with no switch and no API, so the runbook checks that Defender for Identity reports, and nothing can turn
   * it off. https://learn.microsoft.com/defender-cloud-apps/release-note-archive
   */
  readonly inDefenderForCloudApps: true;
}

/** Platforms whose compliance evaluation Intune can connect to Defender for Endpoint (Intune admin center wording below). */
export const DEFENDER_COMPLIANCE_PLATFORMS = ["windows", "android", "iOS"] as const;
export type DefenderCompliancePlatform = (typeof DEFENDER_COMPLIANCE_PLATFORMS)[number];

/**
 * Compliance setting "Require the device to be at or under the machine risk score" (Graph enum
 * `deviceThreatProtectionLevel`). `secured` is what the portal calls **Clear** (no threat at all); `high` allows every
 * threat level, so a compromised device stays compliant.
 */
export const MACHINE_RISK_SCORES = ["secured", "low", "medium", "high"] as const;
export type MachineRiskScore = (typeof MACHINE_RISK_SCORES)[number];

export type DefenderForEndpointIntegration =
  | {
      /**
       * Microsoft Defender portal › Settings › Endpoints › Advanced features › "Microsoft Intune connection": On.
       * Portal only: Microsoft documents no API for advanced features
       * (https://learn.microsoft.com/defender-endpoint/advanced-features).
       */
      readonly intuneConnection: true;
      /**
       * Intune admin center › Endpoint security › Microsoft Defender for Endpoint › Compliance policy evaluation ›
       * "Connect Windows devices" / "Connect Android devices" / "Connect iOS/iPadOS devices" to Microsoft Defender for
       * Endpoint: On for these, Off for the others. Graph v1.0 `mobileThreatDefenseConnector` `windowsEnabled`,
       * `androidEnabled`, `iosEnabled` (https://learn.microsoft.com/graph/api/resources/intune-onboarding-mobilethreatdefenseconnector).
       * macOS is not accepted: Microsoft documents Defender for Endpoint compliance evaluation for Android, iOS/iPadOS
       * and Windows only, and Graph has `macEnabled` in beta only.
       */
      readonly compliancePlatforms: readonly DefenderCompliancePlatform[];
      /**
       * Every compliance policy of those platforms: Compliance settings › Microsoft Defender for Endpoint › "Require
       * the device to be at or under the machine risk score". Graph: Windows `windows10CompliancePolicy`
       * `deviceThreatProtectionEnabled` + `deviceThreatProtectionRequiredSecurityLevel`, Android and iOS
       * `advancedThreatProtectionRequiredSecurityLevel`: beta only, none of them is in v1.0.
       */
      readonly maximumMachineRiskScore: MachineRiskScore;
      /**
       * Intune admin center › Endpoint security › Microsoft Defender for Endpoint › "Number of days until partner is
       * unresponsive". Graph v1.0 `partnerUnresponsivenessThresholdInDays`. Intune ignores the compliance state an
       * unresponsive partner reported (https://learn.microsoft.com/intune/intune-service/protect/mtd-connector-enable).
       * @default not declared: the runbook leaves the tenant's value as it is
       */
      readonly partnerUnresponsiveAfterDays?: number;
    }
  | {
      /** Microsoft Intune connection: Off. Nothing else may be declared then. */
      readonly intuneConnection: false;
    };
