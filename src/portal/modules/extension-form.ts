// The extension form (manual: Extensions): saved extension ⇄ form values ⇄ service input, and the view model.
// Sections as in the manual: Extension Details; Routing and Configuration (Call Routing, Find Me, Advanced
// Settings); Voice Mailbox. An employee gets only the fields kinds.ts lets employees change.
import type { Extension, FindMe } from '../../domain/model';
import { kindByName } from '../../services/kinds';
import type { TargetList } from '../../services/object-browser';
import type { Portal, Viewer } from '../context';
import { CHOOSE, type FieldView, type FormView, truthy, type Values } from '../forms';
import { destinationValues, objectRefs, pickerView, readDestination, type TargetCatalog } from '../picker';

const ROUTES = [
  ['tryFirst', 'Try First', 'All calls go here first.'],
  ['ifBusy', 'If Busy', 'Calls that come in while you are on another call.'],
  ['ifNotAnswered', 'If Not Answered', 'Calls nobody answers within the seconds to ring.'],
  ['ifOffline', 'If Offline', 'Calls that come in while your phone is not connected.'],
] as const;

const CHECKS = ['disallowDialByExtension', 'dialHashToTransfer'] as const;
const YES_NO = ['disableCallWaiting', 'disableMissedCallList', 'buddyList', 'agentStatusDisplay'] as const;
const FIND_ME_CHECKS = [
  'recordCallerName',
  'offerVoicemail',
  'alwaysActive',
  'includeSaturday',
  'includeSunday',
] as const;
export const LOCATIONS = 5;

/** Which top-level fields this viewer may change (all for administrators; kinds.ts's list for employees). */
export function editable(v: Viewer): (field: string) => boolean {
  if (v.isAdmin) return () => true;
  const allowed = kindByName('extensions')?.employee?.fields ?? [];
  return (field) => allowed.includes(field);
}

/** Form values of a saved extension (numbers of typed targets looked up by the caller). */
export function extensionValues(e: Extension, numbers: Map<string, { number: string | null }>): Values {
  const v: Values = {
    number: e.number,
    name: e.name,
    outgoingCallerIdNumberId: e.outgoingCallerIdNumberId === null ? '' : String(e.outgoingCallerIdNumberId),
    e911LocationId: String(e.e911LocationId),
    secondsToRing: String(e.secondsToRing),
    mwiMailboxes: e.mwiMailboxes.join(', '),
    mailbox: e.mailboxId == null ? 'none' : String(e.mailboxId),
  };
  if (e.mailboxId != null) v['mailbox.existing.number'] = numbers.get(`mailbox:${e.mailboxId}`)?.number ?? '';
  for (const [f] of ROUTES) Object.assign(v, destinationValues(`routing.${f}`, e.routing[f], numbers));
  for (const f of [...CHECKS, ...YES_NO]) v[f] = String(e[f]);
  Object.assign(v, findMeValues(e.findMe, numbers));
  return v;
}

function findMeValues(fm: FindMe, numbers: Map<string, { number: string | null }>): Values {
  const v: Values = {
    'findMe.ringSeconds': String(fm.ringSeconds),
    'findMe.activeFrom': fm.activeFrom,
    'findMe.activeTo': fm.activeTo,
    ...destinationValues('findMe.fallback', fm.fallback, numbers),
  };
  for (const f of FIND_ME_CHECKS) v[`findMe.${f}`] = String(fm[f]);
  fm.locations.forEach((l, i) => {
    const p = `findMe.locations.${i + 1}`;
    v[`${p}.type`] = l.type;
    v[`${p}.active`] = String(l.active);
    if (l.type === 'outside_number') v[`${p}.number`] = l.number;
    if (l.type === 'other_extension') {
      v[`${p}.extensionId`] = String(l.extensionId);
      v[`${p}.extensionId.number`] = numbers.get(`extension:${l.extensionId}`)?.number ?? '';
    }
  });
  return v;
}

/** Targets whose numbers the form shows (typed-number boxes), for one labels() call. */
export function extensionRefs(e: Extension) {
  const refs = objectRefs([...ROUTES.map(([f]) => e.routing[f]), e.findMe.fallback]);
  for (const l of e.findMe.locations)
    if (l.type === 'other_extension') refs.push({ kind: 'extension', id: l.extensionId as number });
  if (e.mailboxId != null) refs.push({ kind: 'mailbox', id: e.mailboxId });
  return refs;
}

/** Defaults of a new extension's form, as the manual describes them (phone first, then the mailbox). */
export function newExtensionValues(): Values {
  return {
    secondsToRing: '20',
    mailbox: 'new',
    'routing.tryFirst.kind': 'phone',
    'findMe.ringSeconds': '20',
    'findMe.alwaysActive': 'true',
    'findMe.activeFrom': '08:00',
    'findMe.activeTo': '18:00',
    'findMe.fallback.kind': 'check_voicemail',
    buddyList: 'true',
  };
}

export interface ParsedForm {
  input: Record<string, unknown>;
  /** "Create New Mailbox": the new mailbox's fields. */
  newMailbox: Record<string, unknown> | null;
  /** Problems found while reading the form (a typed number that is not in the PBX). */
  errors: Record<string, string>;
}

/** Posted values → the service input. Only fields this viewer may change are sent; unticked boxes are false. */
export async function extensionInput(
  portal: Portal,
  v: Viewer,
  values: Values,
  id: number | null,
): Promise<ParsedForm> {
  const can = editable(v);
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const put = (f: string, value: unknown) => {
    if (can(f)) input[f] = value;
  };
  for (const f of ['number', 'name', 'secondsToRing', 'e911LocationId', 'outgoingCallerIdNumberId', 'mwiMailboxes'])
    put(f, values[f] ?? '');
  for (const f of [...CHECKS, ...YES_NO]) put(f, truthy(values[f]));
  if (can('routing')) {
    const routing: Record<string, unknown> = {};
    for (const [f] of ROUTES) {
      // If Busy/Not Answered/Offline are "unavailable" unless Try First is Phone: a disabled box posts nothing.
      if (values[`routing.${f}.kind`] === undefined && f !== 'tryFirst') continue;
      const d = await readDestination(portal, v, values, `routing.${f}`, f === 'ifBusy' ? 'busy' : undefined);
      if ('error' in d) errors[`routing.${f}`] = d.error;
      else routing[f] = d.value;
    }
    input.routing = routing;
  }
  if (can('findMe')) input.findMe = await findMeInput(portal, v, values, errors);
  let newMailbox: Record<string, unknown> | null = null;
  if (can('mailboxId')) {
    const choice = values.mailbox ?? 'none';
    if (choice === 'none') input.mailboxId = null;
    else if (choice === 'new') {
      newMailbox = {
        number: values['mailbox.number'] || values.number || '',
        name: values.name ?? '',
        password: values['mailbox.password'] ?? '',
        passwordConfirm: values['mailbox.passwordConfirm'] ?? '',
      };
    } else if (choice === 'existing') {
      const n = (values['mailbox.existing.number'] ?? '').trim();
      const found = n ? await portal.services.browse.idByNumber(v.actor, v.pbx.id, 'mailbox', n) : null;
      if (found === null)
        errors.mailboxId = n ? `there is no mailbox ${n.slice(0, 12)} in this PBX` : 'enter the mailbox number';
      input.mailboxId = found;
    } else input.mailboxId = choice;
  }
  void id;
  return { input, newMailbox, errors };
}

async function findMeInput(portal: Portal, v: Viewer, values: Values, errors: Record<string, string>) {
  const fm: Record<string, unknown> = {
    ringSeconds: values['findMe.ringSeconds'] ?? '',
    activeFrom: values['findMe.activeFrom'] || undefined,
    activeTo: values['findMe.activeTo'] || undefined,
  };
  for (const f of FIND_ME_CHECKS) fm[f] = truthy(values[`findMe.${f}`]);
  const locations: Array<Record<string, unknown>> = [];
  for (let i = 1; i <= LOCATIONS; i++) {
    const p = `findMe.locations.${i}`;
    const type = values[`${p}.type`] ?? '';
    if (!type) continue; // "leave the settings blank for the additional locations you will not need"
    const at = locations.length + 1;
    const loc: Record<string, unknown> = { type, active: truthy(values[`${p}.active`]) };
    if (type === 'outside_number') loc.number = values[`${p}.number`] ?? '';
    if (type === 'other_extension') {
      const typed = values[`${p}.extensionId.number`];
      if (typed !== undefined && !values[`${p}.extensionId`]) {
        const found = typed.trim()
          ? await portal.services.browse.idByNumber(v.actor, v.pbx.id, 'extension', typed.trim())
          : null;
        if (found === null)
          errors[`findMe.locations.${at}.extensionId`] = typed.trim()
            ? `there is no extension ${typed.trim().slice(0, 12)}`
            : 'enter the extension number';
        loc.extensionId = found ?? '';
      } else loc.extensionId = values[`${p}.extensionId`] ?? '';
    }
    locations.push(loc);
  }
  fm.locations = locations;
  const d = await readDestination(portal, v, values, 'findMe.fallback');
  if ('error' in d) errors['findMe.fallback'] = d.error;
  else fm.fallback = d.value;
  return fm;
}

export interface FormContext {
  catalog: TargetCatalog;
  numbers: TargetList;
  locations: TargetList;
  mailboxes: TargetList;
  extensions: TargetList;
}

/** The view model of the whole form. */
export function extensionFormView(v: Viewer, form: FormView, ctx: FormContext, id: number | null) {
  const can = editable(v);
  const exclude = id === null ? undefined : { kind: 'extension' as const, id };
  const field = (f: FieldView, top = f.name) => (can(top) ? f : null);
  const details = {
    number: can('number')
      ? form.text('number', 'Extension Number', { inputmode: 'numeric', hint: '2 to 6 digits.', maxlength: 6 })
      : null,
    numberReadOnly: can('number') ? null : form.values.number,
    name: field(
      form.text('name', 'Name', {
        hint: 'Shown on the caller ID of phones within the PBX. It does not change the caller ID of outgoing calls.',
        maxlength: 50,
      }),
    ),
    outgoing: field(
      form.select(
        'outgoingCallerIdNumberId',
        'Outgoing Caller ID',
        [
          { value: '', label: 'PBX default caller ID' },
          ...(ctx.numbers.items ?? []).map((n) => ({ value: String(n.id), label: n.label })),
        ],
        {
          hint: 'The phone number presented to the called party for outgoing calls from this extension.',
        },
      ),
    ),
    e911: field(
      form.select(
        'e911LocationId',
        'E911 Location',
        [CHOOSE, ...(ctx.locations.items ?? []).map((l) => ({ value: String(l.id), label: l.label }))],
        {
          hint: 'The address where this extension is located. Each extension must have an E911 location.',
        },
      ),
    ),
    seconds: field(
      form.text('secondsToRing', 'Seconds to Ring', {
        inputmode: 'numeric',
        hint: 'How long the phone rings before the call is forwarded (5 to 120).',
        maxlength: 3,
      }),
    ),
  };
  const routing = can('routing')
    ? ROUTES.map(([f, label, hint]) =>
        pickerView(form, `routing.${f}`, label, 'extension_routing', ctx.catalog, {
          hint,
          exclude,
          showWhen: f === 'tryFirst' ? undefined : 'routing.tryFirst.kind=phone',
          emptyLabel: f === 'tryFirst' ? 'Default: Phone' : 'Default: its voice mailbox',
        }),
      )
    : null;
  const findMe = can('findMe') ? findMeView(form, ctx, exclude) : null;
  const advanced = {
    mwi: field(
      form.text('mwiMailboxes', 'Message Waiting Extension', {
        hint: 'Mailbox numbers whose new messages this phone also shows, separated by commas.',
      }),
    ),
    disallow: field(
      form.checkbox('disallowDialByExtension', 'Disallow Dial by Extension', {
        hint: 'This extension cannot be dialed from any auto attendant; only PBX settings route to it.',
      }),
    ),
    callWaiting: field(
      form.yesNo('disableCallWaiting', 'Disable Call Waiting Indicator', {
        hint: 'Yes: no beep or tone when another call comes in during a call.',
      }),
    ),
    missed: field(
      form.yesNo('disableMissedCallList', 'Disable Missed Call List', {
        hint: 'Yes: the phone keeps no missed call list.',
      }),
    ),
    buddy: field(
      form.yesNo('buddyList', 'Enable Buddy List', { hint: 'Yes: the buddy (BLF) keys of the phone are active.' }),
    ),
    agent: field(
      form.yesNo('agentStatusDisplay', 'Show Agent Status on LCD Display', {
        hint: 'Yes: the display shows the queue agent status of whoever is logged in on this phone.',
      }),
    ),
    hash: field(
      form.checkbox('dialHashToTransfer', 'Dial # to Transfer', {
        hint: 'The caller can dial # to start a blind transfer.',
      }),
    ),
  };
  const mailbox = can('mailboxId') ? mailboxView(form, ctx) : null;
  return { details, routing, findMe, advanced, mailbox, summary: form.summary() };
}

function findMeView(form: FormView, ctx: FormContext, exclude?: { kind: 'extension'; id: number }) {
  const extList = ctx.extensions.items?.filter((e) => e.id !== exclude?.id) ?? null;
  const rows = [];
  for (let i = 1; i <= LOCATIONS; i++) {
    const p = `findMe.locations.${i}`;
    rows.push({
      n: i,
      type: form.select(`${p}.type`, `Location ${i}`, [
        { value: '', label: '(not used)' },
        { value: 'my_extension', label: 'My Extension' },
        { value: 'outside_number', label: 'Outside Line' },
        { value: 'other_extension', label: 'Other Extension' },
      ]),
      number: form.text(`${p}.number`, 'Outside line number', { inputmode: 'tel' }),
      extension: extList
        ? form.select(`${p}.extensionId`, 'Other extension', [
            CHOOSE,
            ...extList.map((e) => ({ value: String(e.id), label: e.label })),
          ])
        : form.text(`${p}.extensionId.number`, 'Other extension number', { inputmode: 'numeric' }),
      active: form.checkbox(`${p}.active`, 'Active?'),
      showNumber: `${p}.type=outside_number`,
      showExtension: `${p}.type=other_extension`,
    });
  }
  return {
    rows,
    errors: Object.entries(form.errors)
      .filter(([k]) => k.startsWith('findMe.locations'))
      .map(([k, m]) => `${k.replace(/^findMe\.locations\.?/, 'Location ').replace(/\./g, ' ')}: ${m}`),
    ringSeconds: form.text('findMe.ringSeconds', "Ring each location for 'n' seconds", {
      inputmode: 'numeric',
      maxlength: 3,
    }),
    recordCallerName: form.checkbox('findMe.recordCallerName', "Record caller's name", {
      hint: 'The caller records their name first; before you accept, you hear "You have an incoming call from" and their name.',
    }),
    offerVoicemail: form.checkbox('findMe.offerVoicemail', 'Give the caller the option of transferring to voicemail', {
      hint: 'Between locations the caller may choose to leave a voicemail instead.',
    }),
    alwaysActive: form.checkbox('findMe.alwaysActive', 'Always Active'),
    from: form.text('findMe.activeFrom', 'From', { type: 'time' }),
    to: form.text('findMe.activeTo', 'To', { type: 'time' }),
    saturday: form.checkbox('findMe.includeSaturday', 'Saturday'),
    sunday: form.checkbox('findMe.includeSunday', 'Sunday'),
    fallback: pickerView(form, 'findMe.fallback', 'If nobody accepts the call, send it to', 'general', ctx.catalog),
  };
}

function mailboxView(form: FormView, ctx: FormContext) {
  const listed = ctx.mailboxes.items;
  const options = [
    { value: 'none', label: 'No Associated Mailbox' },
    { value: 'new', label: 'Create New Mailbox' },
    ...(listed
      ? listed.map((m) => ({ value: String(m.id), label: `Mailbox ${m.label}` }))
      : [{ value: 'existing', label: 'An existing mailbox (enter its number)' }]),
  ];
  if (!listed && /^\d+$/.test(form.values.mailbox ?? '')) form.values.mailbox = 'existing';
  const choice = form.select('mailbox', 'Voice Mailbox', options, {
    hint: 'Unanswered calls are sent to this mailbox.',
  });
  choice.error = form.errors.mailboxId ?? null;
  form.label('mailboxId', 'Voice Mailbox');
  return {
    choice,
    existingNumber: listed ? null : form.text('mailbox.existing.number', 'Mailbox number', { inputmode: 'numeric' }),
    newNumber: form.text('mailbox.number', 'New mailbox number', {
      inputmode: 'numeric',
      hint: 'Leave empty to use the extension number.',
      maxlength: 6,
    }),
    newPassword: form.password('mailbox.password', 'Mailbox password', {
      inputmode: 'numeric',
      autocomplete: 'new-password',
      hint: 'Digits only, 4 to 12, not the same as the mailbox number.',
    }),
    newConfirm: form.password('mailbox.passwordConfirm', 'Confirm password', {
      inputmode: 'numeric',
      autocomplete: 'new-password',
    }),
  };
}
