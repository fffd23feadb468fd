# Sourced by Fuzz/run.sh: the control-character rule on JSON bodies (TextSafety, WireFormats) and decoding.
targets[json]="Fuzz/FuzzJSONBody.swift ${wire[*]}"
