// Draws every plotly figure of the page from its JSON with the book's one shared plotly bundle.
(function () {
  function draw() {
    if (typeof Plotly === 'undefined') return;
    var blocks = document.querySelectorAll('script.plotly-data');
    for (var i = 0; i < blocks.length; i++) {
      var target = document.getElementById(blocks[i].getAttribute('data-target'));
      var fig = JSON.parse(blocks[i].textContent);
      var layout = fig.layout || {};
      // Python's named templates mean nothing to plotly.js: drop the name, keep the layout.
      if (typeof layout.template === 'string') delete layout.template;
      // A figure that fixes its size (image grids, heat maps) keeps it; the others fill the column.
      if (layout.width || layout.height) {
        target.style.minHeight = '0';
        if (layout.height) target.style.height = layout.height + 'px';
        if (layout.width) target.style.maxWidth = layout.width + 'px';
      }
      layout.autosize = !layout.width;
      Plotly.newPlot(target, fig.data || [], layout, { responsive: true, displaylogo: false });
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();
