// hashlab: the interactive shell. Everything lives in the Shell module; this file only hands over.
import Shell

#if canImport(Glibc)
import Glibc
#endif

exit(HashLab.main(arguments: CommandLine.arguments))
