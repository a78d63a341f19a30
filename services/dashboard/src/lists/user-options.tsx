import { userLabel, type UserRow } from './user-names';

/** The `<option>`s of a select that picks one of the company's users, each by the name people know. */
export function UserOptions({ users }: { users: readonly UserRow[] }) {
  return users.map((user) => (
    <option key={user.id} value={user.id}>
      {userLabel(user)}
    </option>
  ));
}
