// Draw every plotly figure embedded as JSON; without scripts the tables beside them carry the numbers.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Plotly === "undefined") { return; }
  document.querySelectorAll("[data-figure]").forEach(function (el) {
    var data = document.getElementById(el.getAttribute("data-figure"));
    if (!data) { return; }
    var fig = JSON.parse(data.textContent);
    // Map shapes from this server (static/topojson), not plotly's CDN: the dashboard works offline.
    Plotly.newPlot(el, fig.data, fig.layout, {responsive: true, displaylogo: false, topojsonURL: "/static/topojson/"});
  });
});
