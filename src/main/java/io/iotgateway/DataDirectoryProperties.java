package io.iotgateway;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the gateway keeps its files.
 *
 * @param dataDir directory of the gateway's own files: the embedded device registry database (unless
 * {@code spring.datasource.url} names another database) and the generated master key (unless one is configured)
 */
@ConfigurationProperties("gateway")
public record DataDirectoryProperties(@DefaultValue("./data") Path dataDir) {
}
