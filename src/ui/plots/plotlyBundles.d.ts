// The partial Plotly bundles ship no types of their own; their API is the full bundle’s, whose
// package (a dev dependency, never bundled: only its types are imported) provides them.
declare module 'plotly.js-basic-dist-min' {
  import Plotly from 'plotly.js-dist-min';
  export default Plotly;
}
declare module 'plotly.js-gl3d-dist-min' {
  import Plotly from 'plotly.js-dist-min';
  export default Plotly;
}
