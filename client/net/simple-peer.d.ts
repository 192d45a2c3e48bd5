/** Types for simple-peer's prebuilt bundle (the same API as the package's main entry). */
declare module 'simple-peer/simplepeer.min.js' {
  import SimplePeer from 'simple-peer';
  export default SimplePeer;
}
