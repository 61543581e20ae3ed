package dev.kiln.backend.opencl.offline;

import java.util.List;

/**
 * The build scripts of the vendors' offline flows, run where the vendor's tools are installed. A hardware build
 * takes hours; each script also offers its vendor's emulation build, which takes minutes and checks the flow first.
 * The board (Intel) or platform (AMD) name is left to an environment variable: it names the board support package
 * or platform installed on the build machine, not the part.
 */
final class VendorScripts {
    private VendorScripts() {}

    /**
     * Intel FPGA SDK for OpenCL: one {@code aoc} call turns {@code kernels.cl} into the image {@code kiln.aocx};
     * {@code -march=emulator} builds one for the SDK's emulator instead. Flags as documented in Intel FPGA SDK for
     * OpenCL Pro Edition: Getting Started Guide (683188), "Creating the FPGA Hardware Configuration File of an
     * OpenCL Kernel" (https://www.intel.com/content/www/us/en/docs/programmable/683188/22-4/creating-the-fpga-hardware-configuration-76771.html)
     * and "Compiling a Kernel for Emulation (-march=emulator)"
     * (https://www.intel.com/content/www/us/en/docs/programmable/683188/22-4/compiling-a-kernel-for-emulation-march.html).
     */
    static String intel(String target, String part, String board) {
        return header(target, part, board, "Intel's FPGA SDK for OpenCL offline compiler (aoc)")
                + "#   ./build.sh            the FPGA image kiln.aocx\n"
                + "#   ./build.sh emulator   kiln.emulator.aocx, for the SDK's emulator\n"
                + "# Flags: Intel FPGA SDK for OpenCL Pro Edition Getting Started Guide (683188), sections 3.7 and 3.6:\n"
                + "# https://www.intel.com/content/www/us/en/docs/programmable/683188/22-4/creating-the-fpga-hardware-configuration-76771.html\n"
                + "# https://www.intel.com/content/www/us/en/docs/programmable/683188/22-4/compiling-a-kernel-for-emulation-march.html\n"
                + "set -eu\ncd \"$(dirname \"$0\")\"\n"
                + ": \"${AOC_BOARD:?set AOC_BOARD to the board name of your board support package for " + board + " (aoc -list-boards)}\"\n"
                + "case \"${1:-hardware}\" in\n"
                + "  hardware) aoc -board=\"$AOC_BOARD\" kernels.cl -o kiln.aocx ;;\n"
                + "  emulator) aoc -march=emulator -board=\"$AOC_BOARD\" kernels.cl -o kiln.emulator.aocx ;;\n"
                + "  *) echo \"usage: $0 [hardware|emulator]\" >&2; exit 2 ;;\n"
                + "esac\n"
                + "echo \"built; run it with: kiln run MODEL --device opencl --binary $(pwd)/kiln.aocx (kiln.manifest.json stays beside it)\"\n";
    }

    /**
     * AMD Vitis: {@code v++ -c} compiles each kernel ({@code -k}) of {@code kernels.cl} to a Xilinx object, and
     * {@code v++ -l} links the objects with the platform into {@code kiln.xclbin}; {@code -t} picks the hardware
     * build or an emulation. Flags as documented in Vitis Unified Software Platform Documentation (UG1393),
     * "Compiling Kernels with the Vitis Compiler"
     * (https://docs.amd.com/r/2020.2-English/ug1393-vitis-application-acceleration/Compiling-Kernels-with-the-Vitis-Compiler)
     * and "Linking the Kernels" (https://docs.amd.com/r/2021.2-English/ug1393-vitis-application-acceleration/Linking-the-Kernels).
     */
    static String amd(String target, String part, String board, List<String> kernels) {
        StringBuilder s = new StringBuilder(header(target, part, board, "AMD's Vitis compiler (v++)"))
                .append("#   ./build.sh           the device binary kiln.xclbin (-t hw)\n")
                .append("#   ./build.sh sw_emu    kiln.sw_emu.xclbin for software emulation (also hw_emu)\n")
                .append("# Flags: Vitis Unified Software Platform Documentation (UG1393), \"Compiling Kernels with the Vitis Compiler\"\n")
                .append("# and \"Linking the Kernels\":\n")
                .append("# https://docs.amd.com/r/2020.2-English/ug1393-vitis-application-acceleration/Compiling-Kernels-with-the-Vitis-Compiler\n")
                .append("# https://docs.amd.com/r/2021.2-English/ug1393-vitis-application-acceleration/Linking-the-Kernels\n")
                .append("set -eu\ncd \"$(dirname \"$0\")\"\n")
                .append(": \"${VITIS_PLATFORM:?set VITIS_PLATFORM to the Vitis platform (name or .xpfm file) installed for ").append(board).append("}\"\n")
                .append("t=\"${1:-hw}\"\n")
                .append("case \"$t\" in hw) out=kiln.xclbin ;; sw_emu|hw_emu) out=\"kiln.$t.xclbin\" ;; *) echo \"usage: $0 [hw|sw_emu|hw_emu]\" >&2; exit 2 ;; esac\n")
                .append("# One Xilinx object per kernel, in launch order, then one link.\n");
        for (String k : kernels) {
            s.append("v++ -c -t \"$t\" --platform \"$VITIS_PLATFORM\" -k ").append(k).append(" -o \"").append(k).append(".$t.xo\" kernels.cl\n");
        }
        s.append("v++ -l -t \"$t\" --platform \"$VITIS_PLATFORM\"");
        for (String k : kernels) s.append(" \"").append(k).append(".$t.xo\"");
        return s.append(" -o \"$out\"\n")
                .append("echo \"built; run it with: kiln run MODEL --device opencl --binary $(pwd)/$out (kiln.manifest.json stays beside it)\"\n")
                .toString();
    }

    private static String header(String target, String part, String board, String tool) {
        return "#!/bin/sh\n"
                + "# Builds Kiln's kernels (kernels.cl) for " + part + " on " + board + " with " + tool + ".\n"
                + "# Written by kiln compile --target " + target + " --emit-dir; a hardware build takes hours.\n";
    }
}
