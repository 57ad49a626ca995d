// The demo page's one button: forget this browser's conversation and start a new one.
document.getElementById("demo-reset").addEventListener("click", function () {
  if (window.BiletChat) window.BiletChat.reset();
});
