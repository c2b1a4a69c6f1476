"""Pair editing: the candidate and the interviewer edit one document per (session, question).

The browser runs Yjs with y-codemirror.next; the server speaks the y-protocols sync and
awareness messages over one WebSocket per document (`socket.py`), checks every message
(`protocol.py`), stores each accepted Yjs update in an append-only log and relays it to the
other API processes through the event bus (`service.py`). Runs and submits grade the stored
document's text. `history.py` replays the log for playback.
"""
