// The two renderers on their own: every screen type for both vendors, hostile text escaped and clipped by grapheme,
// characters XML cannot carry removed, and the Yealink object size bound kept at the largest page.
import { expect } from 'chai';
import { parseXmlStrict } from '../../src/freeswitch/xml-strict';
import { renderPolycom } from '../../src/phone-apps/render-polycom';
import { renderYealink, YEALINK_MAX_BYTES } from '../../src/phone-apps/render-yealink';
import { dial, EXIT, type Screen, type ScreenLimits, url } from '../../src/phone-apps/screen';
import { cleanText, clip, duration } from '../../src/phone-apps/text';

const HOSTILE = [
  '<script>alert(1)</script>',
  'A & B "double" \'single\'',
  'end ]]> of CDATA',
  'Zoë Ünïcödé 北京 👩‍👩‍👧',
  'x'.repeat(200),
  'bell\u0007 nul\u0000 esc\u001b',
  'rtl \u202e txet',
  'lone \ud800 surrogate',
];

const LIMITS: ScreenLimits[] = [
  { vendor: 'yealink', itemsPerPage: 15, lineChars: 70, color: true },
  { vendor: 'yealink', itemsPerPage: 5, lineChars: 20, color: false },
  { vendor: 'polycom', itemsPerPage: 10, lineChars: 40, color: true },
  { vendor: 'polycom', itemsPerPage: 5, lineChars: 20, color: false },
];

const render = (s: Screen, l: ScreenLimits) => (l.vendor === 'yealink' ? renderYealink(s, l) : renderPolycom(s, l));

function screens(): Screen[] {
  const long = `https://pbx.example.net/phone-apps/${'T'.repeat(43)}/voicemail/12345/msg/f681c17b-5886-4fb3-b9c8-57b8a03bd3a1/delete/yes`;
  return [
    {
      type: 'menu',
      title: HOSTILE[0]!,
      items: Array.from({ length: 40 }, (_, i) => ({ label: HOSTILE[i % HOSTILE.length]!, target: url(long) })),
      softkeys: [
        { label: 'More than nine', target: url(long) },
        { label: 'Call', target: dial('+15551230002') },
        { label: 'Exit', target: EXIT },
      ],
    },
    { type: 'text', title: HOSTILE[2]!, lines: HOSTILE, softkeys: [{ label: 'Exit', target: EXIT }] },
    {
      type: 'input',
      title: HOSTILE[1]!,
      prompt: HOSTILE[3]!,
      action: long,
      param: 'q',
      value: HOSTILE[0]!,
      softkeys: [],
    },
    {
      type: 'directory',
      title: 'Directory',
      entries: Array.from({ length: 40 }, (_, i) => ({ name: HOSTILE[i % HOSTILE.length]!, number: `1${i}` })),
      softkeys: [{ label: 'More', target: url(long) }],
    },
    {
      type: 'dial',
      title: 'Play',
      number: '*98*',
      lines: ['Playing'],
      softkeys: [{ label: 'Back', target: url(long) }],
    },
    { type: 'status', title: 'Agent', lines: ['Agent: On Break'], refreshSeconds: 60, tone: 'warn' },
  ];
}

describe('phone-app renderers', () => {
  for (const limits of LIMITS)
    for (const screen of screens())
      it(`${limits.vendor} ${limits.lineChars} chars: ${screen.type}`, () => {
        const { body } = render(screen, limits);
        const root = parseXmlStrict(body.replace(/^<\?xml[^>]*\?>/, '').trim());
        expect(root.name).to.be.a('string');
        expect(body).to.not.contain('<script>');
        expect(body).to.not.contain('of CDATA]]>');
        expect(body).to.not.match(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202e]/);
        if (limits.vendor === 'yealink') expect(Buffer.byteLength(body)).to.be.at.most(YEALINK_MAX_BYTES);
        const items = (body.match(/<MenuItem>|<DirectoryEntry>/g) ?? []).length;
        expect(items).to.be.at.most(limits.itemsPerPage);
      });

  it('clips by grapheme with an ellipsis, never inside an accent or an emoji', () => {
    expect(clip('x'.repeat(200), 20)).to.equal(`${'x'.repeat(19)}…`);
    const c = clip('Zoë 👩‍👩‍👧 and more', 6);
    expect([...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(c)].length).to.be.at.most(6);
    expect(c).to.contain('👩‍👩‍👧');
    expect(clip('short', 20)).to.equal('short');
    expect(cleanText(' a\tb\nc ')).to.equal('a b c');
    expect(cleanText('x\u202ey\u0000z\ud800')).to.equal('xyz');
  });

  it('writes message lengths short', () => {
    expect([duration(4), duration(65), duration(720)]).to.deep.equal(['4s', '1:05', '12:00']);
  });

  it('renders dial targets as Dial: for Yealink and tel:// links for Polycom, never as a Polycom soft key', () => {
    const s = screens()[0]!;
    expect(renderYealink(s, LIMITS[0]!).body).to.contain('<URI>Dial:+15551230002</URI>');
    const p = renderPolycom(s, LIMITS[2]!).body;
    expect(p).to.contain('<a href="tel://+15551230002">Call</a>');
    expect(p).to.not.match(/<softkey[^>]*tel:/);
    expect(p).to.contain('label="More tha…"'); // Polycom soft-key labels hold 9 characters
  });

  it('refuses a non-dialable number when a screen is built', () => {
    expect(() => dial('101;evil')).to.throw();
    expect(() => dial('')).to.throw();
  });
});
