// PbxSnapshot: every object of one PBX as plain data — what rules check against and what the generators read.
import type {
  AudioFile,
  AutoAttendant,
  CallBlock,
  ConferenceHub,
  ConferenceRoom,
  Device,
  E911Location,
  Extension,
  HoldMusicGroup,
  Holiday,
  ListenLive,
  Mailbox,
  Pbx,
  PhoneNumber,
  PortalUser,
  Queue,
  RingGroup,
  SipTrunk,
  TimeFrame,
} from './model';

export interface PbxSnapshot {
  pbx: Pbx;
  extensions: Extension[];
  mailboxes: Mailbox[];
  phoneNumbers: PhoneNumber[];
  e911Locations: E911Location[];
  autoAttendants: AutoAttendant[];
  timeFrames: TimeFrame[];
  holidays: Holiday[];
  ringGroups: RingGroup[];
  conferenceRooms: ConferenceRoom[];
  conferenceHubs: ConferenceHub[];
  queues: Queue[];
  listenLive: ListenLive | null;
  holdMusicGroups: HoldMusicGroup[];
  audioFiles: AudioFile[];
  callBlocks: CallBlock[];
  sipTrunks: SipTrunk[];
  devices: Device[];
  users: PortalUser[];
}

/** Snapshot collections that hold one kind of object each (listenLive is a single row, pbx the tenant itself). */
export type SnapshotList = Exclude<keyof PbxSnapshot, 'pbx' | 'listenLive'>;
