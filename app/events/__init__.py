"""The event bus: everything live (submission progress, interview timelines, rooms) is stored,
committed, then published here, and each API process wakes its open streams from one listener."""
