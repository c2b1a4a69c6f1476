// uPlot as an ES module: `import uPlot from "/static/vendor/uplot.min.js"`.
import uPlot from "uplot";
export default uPlot;
