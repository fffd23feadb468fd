# Sourced by Fuzz/run.sh: mentions and the page cursors of PrivateChat (these Domain files import nothing).
targets[chatquery]="Fuzz/FuzzChatQuery.swift Services/PrivateChat/Domain/Mentions.swift Services/PrivateChat/Domain/MessagePage.swift Services/PrivateChat/Domain/ChatError.swift"
