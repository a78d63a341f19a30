import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

type Day = { day: string; calls: number; answeredCalls: number; recordedSeconds: number; averageTalkRatio: number | null };

/** The charts of the statistics page (a lazy chunk: Recharts is not in the first load). */
export default function StatsCharts({ byDay }: { byDay: Day[] }) {
  const rows = byDay.map((day) => ({
    day: day.day.slice(0, 10),
    calls: day.calls,
    answered: day.answeredCalls,
    minutes: Math.round(day.recordedSeconds / 6) / 10,
    talkRatio: day.averageTalkRatio === null ? null : Math.round(day.averageTalkRatio * 100),
  }));
  return (
    <div className="charts">
      <figure>
        <figcaption>Calls per day</figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={rows}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="calls" name="Calls" fill="#1f4e79" />
            <Bar dataKey="answered" name="Answered" fill="#5b9bd5" />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure>
        <figcaption>Recorded minutes per day</figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={rows}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" />
            <YAxis />
            <Tooltip />
            <Bar dataKey="minutes" name="Minutes" fill="#2e7d32" />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure>
        <figcaption>Average agent talk ratio per day (%)</figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={rows}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" />
            <YAxis domain={[0, 100]} />
            <Tooltip />
            <Line type="monotone" dataKey="talkRatio" name="Talk ratio %" stroke="#8a4b08" connectNulls />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <table className="visually-hidden">
        <caption>Statistics per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Calls</th>
            <th scope="col">Answered</th>
            <th scope="col">Minutes</th>
            <th scope="col">Talk ratio %</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.day}>
              <td>{row.day}</td>
              <td>{row.calls}</td>
              <td>{row.answered}</td>
              <td>{row.minutes}</td>
              <td>{row.talkRatio ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
