// views.ts: template text beyond Latin-1 becomes numeric references at compile time (a one-byte page is several times
// cheaper to send), and the pickers' {{targetOptions}} helper escapes like {{ }}, marks the chosen target and builds a
// list's options once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { latin1Text, Views } from '../../src/portal/views';

describe('portal views', () => {
  it('writes characters beyond Latin-1 in template text as references, leaving {{ }} and Latin-1 alone', () => {
    expect(latin1Text('Choose… “Zoë” {{name}} – {{#if x}}é{{/if}} 😀')).to.equal(
      'Choose&#8230; &#8220;Zoë&#8221; {{name}} &#8211; {{#if x}}é{{/if}} &#128512;',
    );
    expect(latin1Text('{{{body}}}')).to.equal('{{{body}}}');
  });

  describe('compiled templates', () => {
    let dir: string;
    let views: Views;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'dialtone-views-'));
      writeFileSync(join(dir, 'page.hbs'), '<p>“{{text}}”…</p><select>{{targetOptions items selected}}</select>');
      views = new Views(dir);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const items = Object.freeze([
      { id: 7, label: 'Sales' },
      { id: 8, label: '<script>alert(1)</script> & "x" – ü' },
    ]);

    it('renders template text as references and user data escaped', () => {
      const html = views.render('page', { text: '<b>Zoë “q”</b>', items, selected: '' });
      expect(html).to.include('<p>&#8220;&lt;b&gt;Zoë “q”&lt;/b&gt;&#8221;&#8230;</p>');
    });

    it('lists the targets escaped, with "Choose…" chosen when nothing is', () => {
      const html = views.render('page', { text: '', items, selected: '' });
      expect(html).to.include('<option value="" selected>Choose&#8230;</option>');
      expect(html).to.include('<option value="7">Sales</option>');
      expect(html).to.include(
        '<option value="8">&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#8211; ü</option>',
      );
      expect(html).to.not.include('<script>');
    });

    it('marks exactly the chosen target, and ignores a choice that is not listed', () => {
      const html = views.render('page', { text: '', items, selected: '8' });
      expect(html).to.include('<option value="">Choose&#8230;</option>');
      expect(html).to.include('<option value="8" selected>');
      expect(html.match(/ selected/g)).to.have.length(1);
      const none = views.render('page', { text: '', items, selected: '"><x' });
      expect(none.match(/ selected/g)).to.equal(null);
      // The cached options are not changed by marking one: the next page chooses another.
      expect(views.render('page', { text: '', items, selected: '7' })).to.include('<option value="7" selected>Sales');
      expect(views.render('page', { text: '', items, selected: '7' })).to.not.include('value="8" selected');
    });
  });
});
