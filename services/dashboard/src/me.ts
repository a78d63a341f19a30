import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './api';

export const meQuery = { queryKey: ['me'], queryFn: () => unwrap(api.GET('/v1/me')), staleTime: 60_000 };

/** The signed-in caller: role and company come from the gateway, not from the token. */
export function useMe() {
  return useQuery(meQuery);
}
