package io.iotgateway.bench.httpceiling;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Baseline (b), the HTTP ceiling: the gateway's web stack (Spring Boot, Tomcat, Spring MVC, virtual threads) with
 * an endpoint at the gateway's path that only reads the body and answers 200 with a fixed receipt of about the
 * gateway's size. Run as its own process with the gateway's JVM flags by bench/run.sh.
 */
@SpringBootApplication
public class HttpCeilingApp {

    private static final String RECEIPT = "{\"messageId\":\"00000000-0000-0000-0000-000000000000\","
            + "\"productKey\":\"a1BenchProd\",\"deviceName\":\"dev00000\",\"topic\":\"/a1BenchProd/dev00000/user/bench\","
            + "\"qos\":1,\"payloadBytes\":0,\"status\":\"acknowledged\",\"publishedAt\":\"2026-01-01T00:00:00.000000000Z\"}";

    public static void main(String[] args) {
        SpringApplication.run(HttpCeilingApp.class, args);
    }

    @RestController
    static class CeilingController {

        @PostMapping("/api/v1/devices/{productKey}/{deviceName}/user/**")
        ResponseEntity<String> publish(@PathVariable String productKey, @PathVariable String deviceName,
                HttpServletRequest request) throws IOException {
            long bytes = 0;
            byte[] buffer = new byte[8192];
            try (InputStream body = request.getInputStream()) {
                int read;
                while ((read = body.read(buffer)) != -1) {
                    bytes += read;
                }
            }
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(RECEIPT);
        }

        @GetMapping("/ready")
        String ready() {
            return "ready";
        }
    }
}
