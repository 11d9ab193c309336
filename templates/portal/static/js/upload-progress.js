// Dialtone portal: audio uploads with a progress bar. Without this file the form posts as usual.
//
// Markup it enhances (the server renders the limits text, so it shows without JavaScript too):
//   <form method="post" enctype="multipart/form-data" action="…?_csrf=…" data-upload-progress
//         data-max-bytes="10485760" [data-budget-bytes="…" (hold music left of the 60 MB)]>
//     <input type="hidden" name="_csrf" value="…">   (before the file input)
//     <input type="file" name="file" accept=".mp3,.wav,audio/mpeg,audio/wav">
//     <p data-upload-limits>MP3 or WAV, at most 10 MB</p>
//     <progress data-upload-bar hidden max="100" value="0"></progress> <span data-upload-status></span>
//     <p data-upload-error role="alert" hidden></p>
//     <button type="submit">Upload</button>
//   </form>
// The XHR asks for JSON (Accept, X-Requested-With) and sends the CSRF token as X-CSRF-Token. The server answers with
// a redirect (followed, then the page navigates to where it ended), JSON {redirect}, or an error JSON {message,
// fields: {file}} (413, 422, …) shown next to the file input. A file obviously too large is refused before sending;
// the server stays the authority on everything.
(() => {
  const MB = 1024 * 1024;
  const mb = (bytes) => (bytes < MB ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / MB).toFixed(1)} MB`);

  for (const form of document.querySelectorAll('form[data-upload-progress]')) {
    const input = form.querySelector('input[type="file"]');
    if (!input || typeof XMLHttpRequest === 'undefined' || typeof FormData === 'undefined') continue;
    const max = Number(form.getAttribute('data-max-bytes')) || Number.POSITIVE_INFINITY;
    const budgetAttr = form.getAttribute('data-budget-bytes');
    const budget = budgetAttr === null ? Number.POSITIVE_INFINITY : Number(budgetAttr);
    const find = (sel, make) => form.querySelector(sel) || make();
    const after = (el) => {
      input.insertAdjacentElement('afterend', el);
      return el;
    };
    const error = find('[data-upload-error]', () => {
      const p = document.createElement('p');
      p.setAttribute('data-upload-error', '');
      p.setAttribute('role', 'alert');
      p.className = 'field-error';
      p.hidden = true;
      return after(p);
    });
    const status = find('[data-upload-status]', () => {
      const s = document.createElement('span');
      s.setAttribute('data-upload-status', '');
      s.setAttribute('aria-live', 'polite');
      return after(s);
    });
    const bar = find('[data-upload-bar]', () => {
      const b = document.createElement('progress');
      b.setAttribute('data-upload-bar', '');
      b.max = 100;
      b.value = 0;
      b.hidden = true;
      return after(b);
    });
    const limits = form.querySelector('[data-upload-limits]');
    if (limits && !limits.textContent.trim()) {
      limits.textContent = `MP3 or WAV, at most ${mb(max)}${Number.isFinite(budget) ? ` (${mb(budget)} of hold music left)` : ''}`;
    }
    const submit = form.querySelector('[type="submit"]');

    const showError = (message) => {
      error.textContent = message ? message.charAt(0).toUpperCase() + message.slice(1) : '';
      error.hidden = !message;
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    };
    // What the browser can tell before sending: a chosen file over the limits. The server checks again, by content.
    const tooBig = (file) => {
      if (file.size > max) return `The file is ${mb(file.size)}; at most ${mb(max)} can be uploaded.`;
      if (file.size > budget) return `The file is ${mb(file.size)}; only ${mb(budget)} of hold music space is left.`;
      return '';
    };

    input.addEventListener('change', () => {
      const file = input.files && input.files[0];
      showError(file ? tooBig(file) : '');
      status.textContent = file ? `${file.name} (${mb(file.size)})` : '';
    });

    form.addEventListener('submit', (event) => {
      const file = input.files && input.files[0];
      if (!file) return; // the server answers "choose a file" next to the field
      const problem = tooBig(file);
      if (problem) {
        event.preventDefault();
        showError(problem);
        input.focus();
        return;
      }
      event.preventDefault();
      showError('');
      const xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
      const token = form.querySelector('input[name="_csrf"]');
      if (token) xhr.setRequestHeader('X-CSRF-Token', token.value);
      bar.hidden = false;
      bar.value = 0;
      if (submit) submit.disabled = true;
      status.textContent = 'Uploading… 0%';
      xhr.upload.addEventListener('progress', (e) => {
        if (!e.lengthComputable) return;
        const pct = Math.floor((e.loaded / e.total) * 100);
        bar.value = pct;
        status.textContent = `Uploading… ${pct}%`;
      });
      const done = (message) => {
        if (submit) submit.disabled = false;
        bar.hidden = true;
        status.textContent = '';
        showError(message);
      };
      xhr.addEventListener('load', () => {
        const type = xhr.getResponseHeader('Content-Type') || '';
        let body = null;
        if (type.includes('json')) {
          try {
            body = JSON.parse(xhr.responseText);
          } catch {
            body = null;
          }
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          bar.value = 100;
          status.textContent = 'Uploaded.';
          const target = (body && body.redirect) || (type.includes('html') ? xhr.responseURL : '') || window.location.href;
          window.location.assign(target);
          return;
        }
        const message =
          (body && ((body.fields && body.fields.file) || body.message)) ||
          (xhr.status === 413 ? `The file is too large: at most ${mb(max)}.` : `The upload failed (HTTP ${xhr.status}).`);
        done(message);
      });
      xhr.addEventListener('error', () => done('The upload was interrupted. Check the connection and try again.'));
      xhr.addEventListener('abort', () => done('The upload was cancelled.'));
      xhr.send(new FormData(form));
    });
  }
})();
