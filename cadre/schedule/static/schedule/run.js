// The "Run the session" page: a countdown per agenda block; without JavaScript the agenda is a
// plain list. A file of its own, not inline, so the Content-Security-Policy can forbid inline
// scripts.
document.querySelectorAll(".run-agenda li").forEach(function (item) {
  var total = parseInt(item.dataset.seconds, 10) * 60, left = total, tick = null;
  var shown = item.querySelector(".timer"), button = item.querySelector(".timer-start");
  // The words come from the page (data-* on the list), in the page's language.
  var words = item.closest(".run-agenda").dataset;
  var overBy = words.overBy || "over by %s", pause = words.pause || "Pause timer";
  var resume = words.resume || "Resume timer";
  function show() {
    var m = Math.floor(Math.abs(left) / 60), s = Math.abs(left) % 60;
    var time = m + ":" + (s < 10 ? "0" : "") + s;
    shown.textContent = left < 0 ? overBy.replace("%s", time) : time;
  }
  shown.hidden = false; button.hidden = false; show();
  button.addEventListener("click", function () {
    if (tick) { clearInterval(tick); tick = null; button.textContent = resume; return; }
    tick = setInterval(function () { left -= 1; show(); }, 1000);
    button.textContent = pause;
  });
});
