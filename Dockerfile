# An Orchestrator node. docker-compose.yml runs three of these on one PostgreSQL; see README.md, "Running a cluster".
# llama.cpp comes with the LLamaSharp.Backend.Cpu package restored here: nothing native is fetched or built.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/Orchestrator.Node -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# libgomp1: llama.cpp's CPU libraries (libggml-base.so, libggml-cpu.so) link OpenMP. curl: the compose health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/ /app/
COPY hocon/ /app/hocon/
COPY config/workflows/ /app/config/workflows/
# data/ holds the model probe verdicts (orchestrator.llm.probe.cache-path, relative to /app); /models is where the
# models volume is mounted (read-only).
RUN mkdir -p /app/data /models && chown "$APP_UID" /app/data
ENV ORCH_TEMPLATES_PATH=/app/config/workflows
# The non-root user of the .NET images.
USER $APP_UID
# 9110: HTTP API (ORCH_API_PORT). 9111: Akka remoting (ORCH_NODE_PORT).
EXPOSE 9110 9111
ENTRYPOINT ["dotnet", "/app/Orchestrator.Node.dll"]
CMD ["--config", "/app/hocon/cluster-node.conf"]
