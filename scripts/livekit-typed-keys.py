#!/usr/bin/env python3
"""Compare the typed options of docs/client.md with those of LiveKit's inference STT client.

    scripts/livekit-typed-keys.py [--rows] stt.py

stt.py is LiveKit's livekit-agents/livekit/agents/inference/stt.py. Its option TypedDicts are
written as the rows of the table "Typed options, key by key" of docs/client.md (LiveKit's order,
JSON types: a Literal is str, "str | list[str]" is list, as this client sends it), and the script
prints a unified diff from the table to LiveKit's rows: nothing where they agree. With --rows it
prints LiveKit's rows only. TypedKeysTableTest keeps the table true to the Java classes, so a
change of LiveKit's types shows here as one diff to read. Python 3 standard library only.
"""
import argparse
import difflib
import os
import re
import sys

# LiveKit's TypedDict -> (ModelFamily, options class), in the table's order
FAMILIES = [
    ("DeepgramOptions", "DEEPGRAM", "DeepgramOptions"),
    ("DeepgramFluxOptions", "DEEPGRAM_FLUX", "DeepgramFluxOptions"),
    ("CartesiaOptions", "CARTESIA", "CartesiaOptions"),
    ("AssemblyaiOptions", "ASSEMBLYAI", "AssemblyAiOptions"),
    ("ElevenlabsOptions", "ELEVENLABS", "ElevenLabsOptions"),
    ("XaiOptions", "XAI", "XaiOptions"),
    ("SpeechmaticsOptions", "SPEECHMATICS", "SpeechmaticsOptions"),
    ("InworldOptions", "INWORLD", "InworldOptions"),
]
HEADING = "### Typed options, key by key"


def json_type(annotation):
    """The JSON type this client sends for a Python annotation."""
    parts = [p.strip() for p in annotation.split("|")]
    if any(p.startswith("list") for p in parts):
        return "list"
    first = parts[0]
    for prefix, kind in (("dict", "dict"), ("bool", "bool"), ("int", "int"), ("float", "float"),
                         ("str", "str"), ("Literal", "str")):
        if first.startswith(prefix):
            return kind
    return "?" + first


def livekit_rows(source):
    dicts = {}
    current = None
    for line in source.splitlines():
        started = re.match(r"class (\w+)\(TypedDict, total=False\):", line)
        if started:
            current = started.group(1)
            dicts[current] = []
            continue
        if current is None:
            continue
        if line and not line.startswith(" "):
            current = None
            continue
        field = re.match(r"    (\w+): ([^#]+?)\s*(#.*)?$", line)
        if field:
            dicts[current].append((field.group(1), json_type(field.group(2))))
    rows = []
    for typed_dict, family, java_class in FAMILIES:
        keys = ", ".join("`%s` %s" % key for key in dicts.get(typed_dict, []))
        rows.append("| `%s` | `%s` | %s |" % (family, java_class, keys))
    return rows


def documented_rows(doc):
    at = doc.find(HEADING)
    if at < 0:
        sys.exit("docs/client.md has no section " + HEADING)
    rows = []
    for line in doc[at:].splitlines()[1:]:
        if line.startswith("## "):
            break
        if re.match(r"\| `[A-Z_]+` \|", line):
            rows.append(line)
    return rows


def main():
    parser = argparse.ArgumentParser(
        usage="scripts/livekit-typed-keys.py [--rows] stt.py",
        description="Diff docs/client.md's typed options against LiveKit's inference/stt.py.")
    parser.add_argument("stt_py", nargs="?", help="LiveKit's livekit-agents/livekit/agents/inference/stt.py")
    parser.add_argument("--rows", action="store_true", help="print LiveKit's rows only")
    args, unknown = parser.parse_known_args()
    if unknown:
        parser.error("unrecognized arguments: " + " ".join(unknown))
    if args.stt_py is None:
        parser.error("the path of LiveKit's stt.py is required")
    with open(args.stt_py, encoding="utf-8") as f:
        rows = livekit_rows(f.read())
    if args.rows:
        print("\n".join(rows))
        return
    doc_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "client.md")
    with open(doc_path, encoding="utf-8") as f:
        documented = documented_rows(f.read())
    sys.stdout.writelines(difflib.unified_diff([r + "\n" for r in documented], [r + "\n" for r in rows],
                                               "docs/client.md", "LiveKit's stt.py"))


if __name__ == "__main__":
    main()
