package io.tradetx.scaling;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads test resources. */
public final class Resources {

    private Resources() {
    }

    public static String read(String name) {
        try (InputStream in = Resources.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
