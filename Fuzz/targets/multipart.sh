# Sourced by Fuzz/run.sh: multipart bodies, header parameters and the content-type boundary (WireFormats).
targets[multipart]="Fuzz/FuzzMultipart.swift ${wire[*]}"
