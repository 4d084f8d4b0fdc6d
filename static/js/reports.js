// The reports page's charts, drawn from the JSON block #chart-data (Chart.js from static/vendor).
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const zh = document.documentElement.lang !== "en";
  const labels = zh ? ["记录时长", "已审核时长"] : ["Hours", "Approved hours"];
  function bars(id, rows, horizontal) {
    new Chart(document.getElementById(id), {
      type: "bar",
      data: { labels: rows.map(r => r[0]), datasets: [
        { label: labels[0], data: rows.map(r => r[1]), backgroundColor: "#e8a0a8" },
        { label: labels[1], data: rows.map(r => r[2]), backgroundColor: "#b0101f" }] },
      options: { indexAxis: horizontal ? "y" : "x", maintainAspectRatio: false, animation: false,
                 plugins: { legend: { position: "bottom" } } }
    });
  }
  if (window.Chart) { bars("chart-months", data.months, false); bars("chart-counties", data.counties, true); }
})();
