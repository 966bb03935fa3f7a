package io.polycube.core.shell;

import io.polycube.core.api.Polycube;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.DataplaneCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code pcn:reload cube index file}: replaces one µCube of a running instance from C source or an ELF object. */
@Command(scope = "pcn", name = "reload", description = "Replaces a µCube of a cube instance while traffic flows")
@Service
public class ReloadCommand implements Action {

    @Reference
    Polycube polycube;

    @Argument(index = 0, name = "cube", description = "Instance name", required = true)
    String cube;

    @Argument(index = 1, name = "index", description = "µCube index: 0 is the MASTER, 1..63 SLAVE programs",
        required = true)
    int index;

    @Argument(index = 2, name = "file", description = "eBPF C source (*.c) or a compiled ELF object", required = true)
    String file;

    @Override
    public Object execute() throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of(file));
        boolean elf = bytes.length > 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
        try {
            polycube.reload(cube, index, elf ? new DataplaneCode.Elf(bytes) : new DataplaneCode.Source(new String(bytes)));
            return "reloaded µCube " + index + " of " + cube;
        } catch (CubeException e) {
            return "refused: " + e.getMessage();
        }
    }
}
