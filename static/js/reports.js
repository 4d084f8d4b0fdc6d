// The reports page's charts, drawn from the JSON block #chart-data (Chart.js from static/vendor):
// axis and legend text at 14 px or more, each bar's value written at its end, redrawn for print (A4).
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const zh = document.documentElement.lang !== "en";
  const labels = zh ? ["记录时长", "已审核时长"] : ["Hours", "Approved hours"];
  const FONT = { size: 14 };
  const valueLabels = {  // a bar's value beside it, so a printed chart reads without the axis
    id: "valueLabels",
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx;
      const horizontal = chart.options.indexAxis === "y";
      ctx.save();
      ctx.font = "14px sans-serif";
      ctx.fillStyle = "#1a1a1a";
      chart.data.datasets.forEach((set, i) => {
        chart.getDatasetMeta(i).data.forEach((bar, j) => {
          const value = set.data[j];
          if (!value) return;
          const text = String(Math.round(value * 10) / 10);
          ctx.textAlign = horizontal ? "left" : "center";
          ctx.textBaseline = horizontal ? "middle" : "bottom";
          ctx.fillText(text, horizontal ? bar.x + 4 : bar.x, horizontal ? bar.y : bar.y - 2);
        });
      });
      ctx.restore();
    },
  };
  const charts = [];
  function bars(id, rows, horizontal) {
    charts.push(new Chart(document.getElementById(id), {
      type: "bar",
      data: { labels: rows.map(r => r[0]), datasets: [
        { label: labels[0], data: rows.map(r => r[1]), backgroundColor: "#e8a0a8" },
        { label: labels[1], data: rows.map(r => r[2]), backgroundColor: "#b0101f" }] },
      plugins: [valueLabels],
      options: { indexAxis: horizontal ? "y" : "x", maintainAspectRatio: false, animation: false,
                 layout: { padding: { top: 18, right: 40 } },
                 scales: { x: { ticks: { font: FONT } }, y: { ticks: { font: FONT } } },
                 plugins: { legend: { position: "bottom", labels: { font: FONT } } } }
    }));
  }
  if (window.Chart) {
    bars("chart-months", data.months, false);
    bars("chart-counties", data.counties, true);
    window.addEventListener("beforeprint", () => charts.forEach((c) => c.resize()));
  }
})();
