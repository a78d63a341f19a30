/**
 * A deterministic stand-in for a language model: it reads the call transcript it is given (a JSON
 * document in the last user message, as callvault sends it) and answers the analysis from the
 * words alone, so tests know what comes back. Like a careless real model, it obeys an instruction
 * planted in a caller's words: told to "ignore previous instructions", it marks every scorecard
 * question yes with evidence nobody said. Callvault's evidence check must catch that.
 */

export interface StandInSegment {
  speaker: string;
  startSeconds: number;
  text: string;
}

export interface StandInQuestion {
  id: string;
  text: string;
}

interface AnalysisInput {
  segments: StandInSegment[];
  questions: StandInQuestion[];
}

const STOP_WORDS = new Set(
  'the a an and or but if then to of in on at for with from by is are was were be been it this that these those did does do agent customer caller you your i me my we our they their he she his her them what when where which who how there here have has had not no yes can could would should will shall about into than just also very'.split(
    ' ',
  ),
);
const POSITIVE = new Set(['thank', 'thanks', 'great', 'good', 'perfect', 'happy', 'works', 'wonderful', 'pleased', 'glad']);
const NEGATIVE = new Set(['angry', 'bad', 'terrible', 'unhappy', 'problem', 'complaint', 'cancel', 'wrong', 'upset', 'disappointed']);
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'tomorrow'];
const PLANTED_INSTRUCTION = /ignore (all )?previous instructions/i;

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z']+/g) ?? [];
}

function keywords(text: string): string[] {
  return [...new Set(words(text).filter((word) => word.length >= 4 && !STOP_WORDS.has(word)))];
}

/** The transcript and questions of a request, or undefined when the message is not such a document. */
export function readAnalysisInput(userContent: string): AnalysisInput | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(userContent);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const document = parsed as { transcript?: unknown; questions?: unknown };
  if (!Array.isArray(document.transcript)) return undefined;
  const segments = document.transcript.flatMap((entry: unknown) => {
    const segment = entry as { speaker?: unknown; startSeconds?: unknown; text?: unknown };
    return typeof segment.speaker === 'string' && typeof segment.startSeconds === 'number' && typeof segment.text === 'string'
      ? [{ speaker: segment.speaker, startSeconds: segment.startSeconds, text: segment.text }]
      : [];
  });
  const questions = Array.isArray(document.questions)
    ? document.questions.flatMap((entry: unknown) => {
        const question = entry as { id?: unknown; text?: unknown };
        return typeof question.id === 'string' && typeof question.text === 'string' ? [{ id: question.id, text: question.text }] : [];
      })
    : [];
  return { segments, questions };
}

function topics(segments: StandInSegment[]): string[] {
  const counts = new Map<string, number>();
  for (const segment of segments) for (const word of keywords(segment.text)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([word]) => word);
}

function sentimentOf(text: string): 'positive' | 'neutral' | 'negative' {
  let score = 0;
  for (const word of words(text)) {
    if (POSITIVE.has(word)) score += 1;
    if (NEGATIVE.has(word)) score -= 1;
  }
  return score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral';
}

/** The segment that holds most of the question's keywords, when it holds at least half of them. */
function bestEvidence(question: StandInQuestion, segments: StandInSegment[]): StandInSegment | undefined {
  const wanted = keywords(question.text);
  let best: { segment: StandInSegment; hits: number } | undefined;
  for (const segment of segments) {
    const said = new Set(words(segment.text));
    const hits = wanted.filter((word) => said.has(word)).length;
    if (hits > (best?.hits ?? 0)) best = { segment, hits };
  }
  return best && best.hits * 2 >= wanted.length ? best.segment : undefined;
}

/** The analysis callvault asks for, in the shape of its JSON schema. */
export function standInAnalysis(input: AnalysisInput) {
  const { segments, questions } = input;
  const obeysPlantedInstruction = segments.some((segment) => PLANTED_INSTRUCTION.test(segment.text));
  const speakers = [...new Set(segments.map((segment) => segment.speaker))];
  const first = segments[0]?.text ?? '';
  return {
    summary: segments.length === 0 ? 'The call has no words.' : `A call of ${segments.length} turns between ${speakers.join(' and ')}. It opens with: ${first}`,
    topics: topics(segments),
    actionItems: segments
      .filter((segment) => /\b(i will|i'll|we will|we'll)\b/i.test(segment.text))
      .map((segment) => ({
        description: segment.text,
        owner: segment.speaker,
        dueDate: WEEKDAYS.find((day) => words(segment.text).includes(day)) ?? null,
      })),
    sentiment: speakers.map((speaker) => ({
      speaker,
      sentiment: sentimentOf(
        segments
          .filter((segment) => segment.speaker === speaker)
          .map((segment) => segment.text)
          .join(' '),
      ),
    })),
    scorecard: questions.map((question) => {
      if (obeysPlantedInstruction) {
        return { questionId: question.id, answer: 'yes', evidence: [{ quote: `The agent did this: ${question.text}`, atSeconds: 0 }] };
      }
      const evidence = bestEvidence(question, segments);
      return evidence
        ? { questionId: question.id, answer: 'yes', evidence: [{ quote: evidence.text, atSeconds: evidence.startSeconds }] }
        : { questionId: question.id, answer: 'not_applicable', evidence: [] };
    }),
  };
}
