// PBX (tenant): identity, call paths, caller ID defaults and the PBX features of the manual's PBX Info screen.
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** Feature codes are settings with these defaults, never literals scattered in code (SPEC §1). */
export interface FeatureCodes {
  directedPickup: string; // *8 + extension
  intercom: string; // *1 + extension
  checkVoicemail: string; // *98
  recordGreetingPrefix: string; // * + mailbox number
  recordAttendant: string; // *323
  park: string; // park a call (valet)
  parkSlotsStart: number; // first parking slot number
  parkSlotsCount: number;
  listenLive: string; // + extension
  bargeIn: string; // + extension
  agentLogin: string;
  agentLogout: string;
  agentBreak: string;
  companyDirectory: string;
}

export const DEFAULT_FEATURE_CODES: FeatureCodes = {
  directedPickup: '*8',
  intercom: '*1',
  checkVoicemail: '*98',
  recordGreetingPrefix: '*',
  recordAttendant: '*323',
  park: '*70',
  parkSlotsStart: 701,
  parkSlotsCount: 8,
  listenLive: '*33',
  bargeIn: '*34',
  agentLogin: '*41',
  agentLogout: '*42',
  agentBreak: '*43',
  companyDirectory: '*411',
};

export const PbxSchema = defineEntity({
  name: 'Pbx',
  tableName: 'pbx',
  properties: {
    id: p.integer().primary().autoincrement(),
    context: p.string().length(32).unique(),
    name: p.string().length(100),
    domain: p.string().length(253).unique(),
    pin: p.string().length(12),
    timezone: p.string().length(64),
    prepaidPaths: p.integer(),
    onDemandPaths: p.integer(),
    prepaidFaxPaths: p.integer(),
    onDemandFaxPaths: p.integer(),
    callerIdNumber: p.string().length(15).nullable(),
    callerIdName: p.string().length(15).nullable(),
    areaCode: p.string().length(3).nullable(),
    internationalCalling: p.boolean(),
    directedPickup: p.boolean(),
    intercom: p.boolean(),
    sevenDigitDialing: p.boolean(),
    directoryByFirstName: p.boolean(),
    readExtensionInDirectory: p.boolean(),
    parkingTimeout: p.integer(),
    featureCodes: p.json<FeatureCodes>(),
    /** Phone web-UI admin password pushed to every phone of the PBX. */
    phoneAdminPassword: p.string().length(32),
    /** Opt-in for closed LANs: serve configs with credentials over TFTP (SPEC §3). */
    tftpCredentials: p.boolean(),
    /** Call records older than this many days are deleted by the call-record retention job. */
    callRecordRetentionDays: p.integer().default(365),
    /** Bumped by every committed change to the PBX or anything in it (see src/revision-subscriber.ts); caches key on it. */
    revision: p.integer().default(0),
    createdAt: p.datetime(),
  },
});
export type Pbx = InferEntity<typeof PbxSchema>;
