// The shared-editing bundle: Yjs, the y-protocols sync and awareness messages, and
// y-codemirror.next's binding (shared text, remote cursors, a per-user undo manager).
// CodeMirror itself is not in here: build.mjs points @codemirror/state and @codemirror/view at
// the editor bundle (`dojo/vendor/codemirror`), so the page holds one CodeMirror and the binding's
// facets and plugins belong to it.
import * as Y from "yjs";
import { yCollab, yUndoManagerKeymap } from "y-codemirror.next";
import * as syncProtocol from "y-protocols/sync";
import * as awarenessProtocol from "y-protocols/awareness";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";

export { Y, yCollab, yUndoManagerKeymap, syncProtocol, awarenessProtocol, encoding, decoding };
