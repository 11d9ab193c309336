// One vendor-neutral description of a phone screen: handlers build these, render-yealink.ts and render-polycom.ts
// turn them into each vendor's XML. Every target is one of our own URLs (absolute, carrying the device's token) or a
// number to dial; nothing else can be expressed, so nothing else can reach a phone.

export type Target =
  /** One of our routes, absolute (AppUrls builds it). */
  | { readonly kind: 'url'; readonly href: string }
  /** A number the phone dials (Yealink `Dial:`, Polycom `tel://`). Digits, `*`, `#`, a leading `+`. */
  | { readonly kind: 'dial'; readonly number: string }
  /** The phone's own "leave the browser" action. */
  | { readonly kind: 'exit' };

export interface SoftKey {
  readonly label: string;
  readonly target: Target;
}

export interface MenuItem {
  readonly label: string;
  readonly target: Target;
}

interface ScreenBase {
  readonly title: string;
  readonly softkeys: readonly SoftKey[];
}

/** A list to pick from (Yealink TextMenu, Polycom links). */
export interface MenuScreen extends ScreenBase {
  readonly type: 'menu';
  readonly items: readonly MenuItem[];
}

/** Lines of text (Yealink TextScreen, Polycom paragraph); also every error screen. */
export interface TextScreen extends ScreenBase {
  readonly type: 'text';
  readonly lines: readonly string[];
}

/** One field sent as `<param>=<value>` to `action` (Yealink InputScreen, Polycom form). */
export interface InputScreen extends ScreenBase {
  readonly type: 'input';
  readonly prompt: string;
  readonly action: string;
  readonly param: string;
  readonly value: string;
}

/** People to call: selecting one dials it (Yealink Directory, Polycom tel:// links). */
export interface DirectoryScreen extends ScreenBase {
  readonly type: 'directory';
  readonly entries: readonly { readonly name: string; readonly number: string }[];
}

/** Dial now (Yealink Execute `Dial:`); Polycom cannot be told to dial, so it shows a one-press Dial link. */
export interface DialScreen extends ScreenBase {
  readonly type: 'dial';
  readonly number: string;
  readonly lines: readonly string[];
}

/** The idle-screen status (Yealink Status object pushed or fetched, Polycom idle-browser page). */
export interface StatusScreen {
  readonly type: 'status';
  readonly title: string;
  readonly lines: readonly string[];
  /** Polycom idle browser: re-fetch after this many seconds. */
  readonly refreshSeconds: number;
  /** A colour hint for colour screens (the text always says the same on its own). */
  readonly tone: 'ok' | 'warn' | 'off';
}

export type Screen = MenuScreen | TextScreen | InputScreen | DirectoryScreen | DialScreen | StatusScreen;

/** What the renderers need to know about the phone: its vendor and what its screen holds. */
export interface ScreenLimits {
  readonly vendor: 'polycom' | 'yealink';
  readonly itemsPerPage: number;
  readonly lineChars: number;
  readonly color: boolean;
}

export interface RenderedScreen {
  readonly contentType: string;
  readonly body: string;
}

const DIALABLE = /^\+?[0-9*#]{1,32}$/;

export const url = (href: string): Target => ({ kind: 'url', href });

export function dial(number: string): Target {
  if (!DIALABLE.test(number)) throw new Error(`not a dialable number: ${JSON.stringify(number.slice(0, 40))}`);
  return { kind: 'dial', number };
}

export const EXIT: Target = { kind: 'exit' };
