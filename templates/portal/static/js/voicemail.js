// Voicemail page: asks before a Delete (forms with data-confirm) and lets one message play at a time.
// Without this file the buttons still work (the delete just happens without asking).
(() => {
  for (const form of document.querySelectorAll('form[data-confirm]'))
    form.addEventListener('submit', (e) => {
      if (!window.confirm(form.getAttribute('data-confirm'))) e.preventDefault();
    });
  const players = [...document.querySelectorAll('audio.vm-message__player')];
  for (const p of players)
    p.addEventListener('play', () => {
      for (const other of players) if (other !== p) other.pause();
    });
})();
