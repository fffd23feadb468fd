# Sourced by Fuzz/run.sh: the avatar validator (ImageValidator and ImageFormat import nothing).
targets[image]="Fuzz/FuzzImageHeader.swift Services/Users/Domain/ImageFormat.swift Services/Users/Domain/ImageValidator.swift"
