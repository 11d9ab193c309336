// Uploaded audio (greetings, announcements, hold-music tracks) and hold-music groups.
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const AUDIO_PURPOSES = ['greeting', 'announcement', 'hold_music'] as const;
export type AudioPurpose = (typeof AUDIO_PURPOSES)[number];

export const AudioFileSchema = defineEntity({
  name: 'AudioFile',
  tableName: 'audio_file',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    purpose: p.string().length(16).$type<AudioPurpose>(),
    /** Name chosen by us under DATA_DIR/audio/<pbx context>/ (never the uploader's name). */
    storedName: p.string().length(100),
    originalName: p.string().length(255),
    format: p.string().length(8).$type<'mp3' | 'wav'>(),
    sizeBytes: p.integer(),
    sha256: p.string().length(64),
    /** Length of the stored audio; null for rows older than migration 0005. */
    durationMs: p.integer().nullable(),
    /** The portal user who uploaded it; null when recorded by phone or added by the operator. */
    uploadedById: p.integer().nullable(),
    createdAt: p.datetime(),
  },
  uniques: [{ properties: ['pbxId', 'storedName'] }],
});
export type AudioFile = InferEntity<typeof AudioFileSchema>;

export const HoldMusicGroupSchema = defineEntity({
  name: 'HoldMusicGroup',
  tableName: 'hold_music_group',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    name: p.string().length(50),
    /** The one group used for outbound calls of the PBX. */
    outbound: p.boolean(),
    /** AudioFile ids, in the order they play when not shuffled. */
    trackIds: p.json<number[]>(),
    /** Tracks play in a random order (the manual's default); otherwise in the order of trackIds. */
    shuffle: p.boolean().default(true),
  },
  uniques: [{ properties: ['pbxId', 'name'] }],
});
export type HoldMusicGroup = InferEntity<typeof HoldMusicGroupSchema>;
