// Dialtone portal: small progressive enhancements. Every page works without this file.
(() => {
  document.documentElement.classList.add('js');

  // Error summary first: move focus to it so keyboard and screen-reader users hear what to fix.
  const summary = document.querySelector('[data-focus]');
  if (summary) summary.focus();

  // Destination picker: show only the target box of the chosen kind.
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
    sync();
  }

  // data-show-when="name=value[,value]": a part of a form that only matters for some choice of another field.
  const controls = (name) => document.querySelectorAll(`[name="${CSS.escape(name)}"]`);
  const valueOf = (name) => {
    let v = '';
    for (const c of controls(name)) {
      if (c.type === 'checkbox') v = c.checked ? 'true' : 'false';
      else if (c.type === 'radio') { if (c.checked) v = c.value; }
      else v = c.value;
    }
    return v;
  };
  const dependents = document.querySelectorAll('[data-show-when]');
  const apply = () => {
    for (const el of dependents) {
      const [name, values] = el.getAttribute('data-show-when').split('=');
      const on = values.split(',').includes(valueOf(name));
      if (el.hasAttribute('data-disable-only')) {
        for (const c of el.querySelectorAll('input, select, textarea')) c.disabled = !on;
        el.classList.toggle('is-disabled', !on);
      } else el.hidden = !on;
    }
  };
  const watched = new Set([...dependents].map((el) => el.getAttribute('data-show-when').split('=')[0]));
  for (const name of watched) for (const c of controls(name)) c.addEventListener('change', apply);
  apply();
})();
