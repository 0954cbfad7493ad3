// Counts Streamlit's script runs as the page's websocket carries them, so a test can wait for
// "every run this page asked for has finished" instead of for a time. A rerun request is a
// BackMsg whose field is rerun_script (11); a run ends with a ForwardMsg script_finished (6)
// whose status is not FINISHED_EARLY_FOR_RERUN (2), which means another run follows at once.
(() => {
  const runs = { asked: 0, done: 0, seq: 0 };
  window.__streamlitRuns = runs;

  const varint = (bytes, at) => {
    let value = 0, shift = 0, byte;
    do {
      byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return [value, at];
  };
  // The first field past hash (1) and metadata (2): the message's kind, and its varint value.
  const kind = (data) => {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data)
      : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : null;
    if (bytes === null) return [0, -1];
    let at = 0;
    while (at < bytes.length) {
      let tag, length;
      [tag, at] = varint(bytes, at);
      const field = Math.floor(tag / 8), wire = tag & 7;
      if (field > 2) {
        if (wire !== 0) return [field, -1];
        const [value] = varint(bytes, at);
        return [field, value];
      }
      if (wire !== 2) return [field, -1];
      [length, at] = varint(bytes, at);
      at += length;
    }
    return [0, -1];
  };

  const Native = window.WebSocket;
  class Counted extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const [field, status] = kind(event.data);
        if (field === 6 && status !== 2) runs.done = ++runs.seq;
      });
    }
    send(data) {
      if (kind(data)[0] === 11) runs.asked = ++runs.seq;
      return super.send(data);
    }
  }
  window.WebSocket = Counted;
})();
