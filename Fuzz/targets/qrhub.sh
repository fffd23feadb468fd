# Sourced by Fuzz/run.sh: the QR hub's text frames (QRHubCommand and QRClientID import only Foundation).
targets[qrhub]="Fuzz/FuzzQRHubFrame.swift Services/Auth/Domain/QRHubCommand.swift Services/Auth/Domain/QRClientID.swift"
