// Groups: Add, Remove, Move up and Move down move the highlighted extensions in the browser instead of redrawing the
// page (without this file the same buttons post the form and the server redraws it). The hidden memberIds field keeps
// the ring order the form saves.
(() => {
  const form = document.querySelector('[data-group-form]');
  if (!form) return;
  const available = form.querySelector('[data-available]');
  const selected = form.querySelector('[data-selected]');
  const members = form.querySelector('[data-members]');
  const sync = () => {
    members.value = [...selected.options].map((o) => o.value).join(',');
  };
  const picked = (list) => [...list.options].filter((o) => o.selected);
  const ops = {
    add: () => {
      for (const o of picked(available)) selected.appendChild(o);
    },
    remove: () => {
      // Back into the available list in the order it was listed (by extension number).
      for (const o of picked(selected)) {
        const before = [...available.options].find((x) => x.text.localeCompare(o.text, undefined, { numeric: true }) > 0);
        available.insertBefore(o, before ?? null);
      }
    },
    up: () => {
      for (const o of picked(selected)) {
        const prev = o.previousElementSibling;
        if (prev && !prev.selected) selected.insertBefore(o, prev);
      }
    },
    down: () => {
      for (const o of picked(selected).reverse()) {
        const next = o.nextElementSibling;
        if (next && !next.selected) selected.insertBefore(next, o);
      }
    },
  };
  for (const button of form.querySelectorAll('[data-op]'))
    button.addEventListener('click', (event) => {
      event.preventDefault();
      ops[button.getAttribute('data-op')]();
      sync();
    });
  // Double-click moves one extension across, as in most two-list choosers.
  available.addEventListener('dblclick', () => {
    ops.add();
    sync();
  });
  selected.addEventListener('dblclick', () => {
    ops.remove();
    sync();
  });
})();
