// Dialtone portal: small progressive enhancements. Every page works without this file.
(() => {
  document.documentElement.classList.add('js');

  // Error summary first: move focus to it so keyboard and screen-reader users hear what to fix.
  const summary = document.querySelector('[data-focus]');
  if (summary) summary.focus();

  // On narrow screens the menus scroll sideways: bring the current item into view.
  for (const current of document.querySelectorAll('.tabs .is-current, .side .is-current'))
    current.scrollIntoView({ block: 'nearest', inline: 'center' });

  // Destination picker: show only the target box of the chosen kind (the others are disabled, so not sent).
  const pickers = [];
  for (const picker of document.querySelectorAll('[data-picker]')) {
    const kind = picker.querySelector('[data-picker-kind]');
    const targets = picker.querySelectorAll('[data-picker-target]');
    const sync = () => {
      for (const t of targets) {
        const on = t.getAttribute('data-picker-target') === kind.value;
        t.hidden = !on;
        for (const input of t.querySelectorAll('input, select')) input.disabled = !on || kind.disabled;
      }
    };
    kind.addEventListener('change', sync);
    pickers.push(sync);
  }

  // data-show-when="name=value[,value]": a part of a form that only matters for some choice of another field.
  // With data-disable-only it stays visible but greyed out (the manual: "otherwise, they are unavailable").
  const controls = (name) => document.querySelectorAll(`[name="${CSS.escape(name)}"]`);
  const valueOf = (name) => {
    let v = '';
    for (const c of controls(name)) {
      if (c.type === 'checkbox') v = c.checked ? 'true' : 'false';
      else if (c.type === 'radio') {
        if (c.checked) v = c.value;
      } else v = c.value;
    }
    return v;
  };
  const dependents = [...document.querySelectorAll('[data-show-when]')];
  const apply = () => {
    for (const el of dependents) {
      const [name, values] = el.getAttribute('data-show-when').split('=');
      const on = values.split(',').includes(valueOf(name));
      if (el.hasAttribute('data-disable-only')) {
        for (const c of el.querySelectorAll('input, select, textarea')) c.disabled = !on;
        el.classList.toggle('is-disabled', !on);
      } else {
        el.hidden = !on;
        // Hidden parts send nothing (a hidden "new mailbox" or an admin-only module is not part of the answer).
        for (const c of el.querySelectorAll('input, select, textarea')) c.disabled = !on;
      }
    }
    for (const sync of pickers) sync();
  };
  const watched = new Set(dependents.map((el) => el.getAttribute('data-show-when').split('=')[0]));
  for (const name of watched) for (const c of controls(name)) c.addEventListener('change', apply);
  apply();
})();
