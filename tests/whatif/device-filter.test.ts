import { expect } from "chai";
import { compileDeviceFilter, DeviceFilterSyntaxError } from "../../lib/whatif/device-filter";

// Rule syntax and property list: Microsoft Entra, "Conditional Access: Filter for devices".
describe("whatif device filter rules", () => {
  const surface = {
    displayName: "CONTOSO-SURFACE-01",
    manufacturer: "Microsoft Corporation",
    model: "Surface Pro 9",
    operatingSystemVersion: "10.0.22631",
    physicalIds: ["[ZTDId]:abc", "[OrderId]:42"],
    trustType: "AzureAD",
    isCompliant: true,
    deviceOwnership: "Company",
  };
  const cases: [string, boolean][] = [
    ['device.manufacturer -eq "microsoft corporation"', true],
    ['device.manufacturer -ne "Microsoft Corporation"', false],
    ['device.displayName -startsWith "CONTOSO-"', true],
    ['device.displayName -notStartsWith "CONTOSO-"', false],
    ['device.displayName -endsWith "-01"', true],
    ['device.displayName -notEndsWith "-01"', false],
    ['device.model -contains "Surface"', true],
    ['device.model -notContains "Surface"', false],
    ['device.operatingSystemVersion -in ["10.0.19045", "10.0.22631"]', true],
    ['device.operatingSystemVersion -notIn ["10.0.19045", "10.0.22631"]', false],
    ['device.devicePhysicalIDs -contains "[ZTDId]:abc"', true],
    // A collection holds an element equal to the value; part of an element is not a match (issue 14).
    ['device.physicalIds -contains "[ZTDId]"', false],
    ['device.physicalIds -contains "[orderid]:42"', true],
    ['device.physicalIds -notContains "[OrderId]"', true],
    ['device.physicalIds -notContains "[OrderId]:42"', false],
    ["device.isCompliant -eq True", true],
    ["DEVICE.ISCOMPLIANT -EQ true", true],
    ["device.deviceOwnership -eq 'Personal'", false],
  ];
  for (const [rule, expected] of cases) {
    it(`${rule} → ${expected} for a compliant Surface`, () => {
      expect(compileDeviceFilter(rule)(surface)).to.equal(expected);
    });
  }

  it("-and binds tighter than -or, and parentheses override it", () => {
    const rule = 'device.model -eq "X" -and device.trustType -eq "ServerAD" -or device.isCompliant -eq True';
    expect(compileDeviceFilter(rule)({ model: "Y", trustType: "AzureAD", isCompliant: true })).to.equal(true);
    const grouped = 'device.model -eq "X" -and (device.trustType -eq "ServerAD" -or device.isCompliant -eq True)';
    expect(compileDeviceFilter(grouped)({ model: "Y", trustType: "AzureAD", isCompliant: true })).to.equal(false);
    expect(compileDeviceFilter(grouped)({ model: "X", trustType: "ServerAD", isCompliant: false })).to.equal(true);
  });

  it("an unregistered device has null properties: positive operators are false, negative ones true", () => {
    expect(compileDeviceFilter('device.model -eq "X"')(undefined)).to.equal(false);
    expect(compileDeviceFilter('device.model -startsWith "X"')(undefined)).to.equal(false);
    expect(compileDeviceFilter('device.model -ne "X"')(undefined)).to.equal(true);
    expect(compileDeviceFilter('device.model -notIn ["X"]')(undefined)).to.equal(true);
  });

  it("rejects an unknown property, naming it and the documented ones", () => {
    expect(() => compileDeviceFilter('device.colour -eq "red"')).to.throw(DeviceFilterSyntaxError, /trustType.*not "device\.colour"/);
  });

  it("rejects an unknown operator and a missing parenthesis, naming the position", () => {
    expect(() => compileDeviceFilter('device.model -like "X"')).to.throw(/character 14: expected -and, -or or an operator, not "-like"/);
    expect(() => compileDeviceFilter('(device.model -eq "X"')).to.throw(/expected "\)"/);
    expect(() => compileDeviceFilter('device.model -eq "X" device.model -eq "Y"')).to.throw(/expected -and, -or or the end of the rule/);
  });
});
