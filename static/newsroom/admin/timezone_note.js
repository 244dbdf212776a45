// Django's date and time fields each add the note "You are N hours behind server time" when
// the browser's time zone differs from the server's; one note per form says it. Runs after
// DateTimeShortcuts adds them, on the same load event: this script is deferred, so it
// subscribes later.
'use strict';
window.addEventListener('load', function() {
    for (const form of document.forms) {
        const notes = form.querySelectorAll('.timezonewarning');
        for (const note of Array.from(notes).slice(1)) {
            note.remove();
        }
    }
});
