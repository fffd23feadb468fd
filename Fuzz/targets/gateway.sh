# Sourced by Fuzz/run.sh: the gateway WebSocket's client frames (GatewayCommand imports only Foundation).
targets[gateway]="Fuzz/FuzzGatewayCommand.swift Services/Gateway/Domain/GatewayCommand.swift"
