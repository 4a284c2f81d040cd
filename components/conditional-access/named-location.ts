import type * as azuread from "@pulumi/azuread";
import type { NamedLocationDefinition } from "./definition";

/** Payload for `azuread.NamedLocation` from a validated definition. Pure. */
export function buildNamedLocationArgs(l: NamedLocationDefinition): azuread.NamedLocationArgs {
  const displayName = l.displayName ?? l.name;
  if (l.ipRanges && l.ipRanges.length > 0) {
    return { displayName, ip: { ipRanges: [...new Set(l.ipRanges)].sort(), trusted: l.trusted ?? false } };
  }
  return {
    displayName,
    country: {
      countriesAndRegions: [...new Set(l.countries ?? [])].sort(),
      includeUnknownCountriesAndRegions: l.includeUnknownCountries ?? false,
    },
  };
}
