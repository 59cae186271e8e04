using Orchestrator.Cli.Client;

namespace Orchestrator.Cli.Tests;

public sealed class SseReaderSpec
{
    private static async Task<List<SseEvent>> Read(string stream)
    {
        var events = new List<SseEvent>();
        await foreach (var e in SseReader.ReadAsync(new StringReader(stream)))
            events.Add(e);
        return events;
    }

    [Fact]
    public async Task Events_carry_their_type_data_and_id()
    {
        var events = await Read("""
            event: task-dispatched.v1
            id: 3
            data: {"sequenceNr":3}

            event: task-tokens
            data: {"text":"hi"}


            """);

        Assert.Equal([new SseEvent("task-dispatched.v1", "{\"sequenceNr\":3}", "3"), new SseEvent("task-tokens", "{\"text\":\"hi\"}", null)], events);
    }

    [Fact]
    public async Task Data_lines_join_with_newlines_and_one_leading_space_is_dropped()
    {
        var events = await Read("data: first\ndata:second\ndata:  third\n\n");

        Assert.Equal("first\nsecond\n third", Assert.Single(events).Data);
        Assert.Equal("message", events[0].Event);
    }

    [Fact]
    public async Task Comments_unknown_fields_and_events_without_data_are_skipped()
    {
        var events = await Read(": keep-alive\n\nretry: 1000\nevent: nothing\n\nfoo: bar\ndata: x\n\n");

        Assert.Equal([new SseEvent("message", "x", null)], events);
    }

    [Fact]
    public async Task CRLF_and_CR_line_ends_are_accepted()
    {
        var events = await Read("event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\r");

        Assert.Equal(["a:1", "b:2"], events.Select(e => $"{e.Event}:{e.Data}"));
    }

    [Fact]
    public async Task An_event_cut_off_by_the_end_of_the_stream_is_dropped()
    {
        var events = await Read("id: 1\ndata: whole\n\nid: 2\ndata: cut");

        Assert.Equal("1", Assert.Single(events).Id);
    }
}
