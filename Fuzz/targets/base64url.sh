# Sourced by Fuzz/run.sh: canonical base64url, as every token part is read (WireFormats).
targets[base64url]="Fuzz/FuzzBase64URL.swift ${wire[*]}"
